use crate::error::PageError;
use actix_web::HttpResponse;
pub(crate) async fn admin_home() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn page() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn create() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn update() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn archive() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn unarchive() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn move_category() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
