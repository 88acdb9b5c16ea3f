//! The stylesheet and the script, compiled into the binary and served under `/ui/static/`.
//! Pages link them with a content hash in the query string, so they can be cached for a long
//! time and still change with every release.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

fn versioned(name: &str, body: &str) -> String {
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    format!("/ui/static/{name}?v={}", &hash[..12])
}

pub(crate) fn css_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| versioned("app.css", CSS))
}

pub(crate) fn js_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| versioned("app.js", JS))
}

/// `GET /ui/static/{file}`.
pub(crate) async fn serve(file: web::Path<String>) -> HttpResponse {
    let (body, content_type) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return crate::error::not_found_response(),
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        // A day; the `?v=` hash changes the address whenever the content changes.
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(body)
}
