use crate::error::PageError;
use actix_web::HttpResponse;
pub(crate) async fn page() -> Result<HttpResponse, PageError> {
    Err(PageError::NotFound)
}
