use crate::error::PageError;
use actix_web::HttpResponse;
pub(crate) async fn list() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn new_ticket() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn create() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
pub(crate) async fn ticket() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
