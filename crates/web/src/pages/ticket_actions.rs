use crate::error::PageError;
use actix_web::HttpResponse;
pub(crate) async fn respond() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn insert_canned() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn rendered_canned() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn change_status() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn assign() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn priority() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn download() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
