//! The pages, one module per screen; `config` wires them under `/ui`.
//!
//! Handlers are thin like the API's: extract the signed-in person (and check the CSRF token on
//! a POST), call use cases on the [`memberdesk_domain::Desk`], render a template or redirect.

pub(crate) mod auth;
mod categories;
mod portal;
mod queue;
mod summary;
mod ticket;
mod ticket_actions;

use actix_web::web;

pub(crate) fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(queue::page)))
        .service(web::resource("/login").route(web::get().to(auth::login_page)).route(web::post().to(auth::demo_login)))
        .service(web::resource("/sso").route(web::get().to(auth::sso)))
        .service(web::resource("/logout").route(web::post().to(auth::logout)))
        .service(web::resource("/static/{file}").route(web::get().to(crate::assets::serve)))
        .service(web::resource("/tickets/{id}").route(web::get().to(ticket::page)))
        .service(web::resource("/tickets/{id}/responses").route(web::post().to(ticket_actions::respond)))
        .service(web::resource("/tickets/{id}/canned").route(web::post().to(ticket_actions::insert_canned)))
        .service(web::resource("/tickets/{id}/canned/{canned}").route(web::get().to(ticket_actions::rendered_canned)))
        .service(web::resource("/tickets/{id}/summary/refresh").route(web::post().to(summary::refresh)))
        .service(web::resource("/tickets/{id}/status").route(web::post().to(ticket_actions::change_status)))
        .service(web::resource("/tickets/{id}/assign").route(web::post().to(ticket_actions::assign)))
        .service(web::resource("/tickets/{id}/priority").route(web::post().to(ticket_actions::priority)))
        .service(web::resource("/attachments/{id}").route(web::get().to(ticket_actions::download)))
        .service(web::resource("/portal").route(web::get().to(portal::list)))
        .service(web::resource("/portal/new").route(web::get().to(portal::new_ticket)))
        .service(web::resource("/portal/tickets").route(web::post().to(portal::create)))
        .service(web::resource("/portal/tickets/{id}").route(web::get().to(portal::ticket)))
        .service(web::resource("/admin").route(web::get().to(categories::admin_home)))
        .service(
            web::resource("/admin/categories")
                .route(web::get().to(categories::page))
                .route(web::post().to(categories::create)),
        )
        .service(web::resource("/admin/categories/{id}").route(web::post().to(categories::update)))
        .service(web::resource("/admin/categories/{id}/archive").route(web::post().to(categories::archive)))
        .service(web::resource("/admin/categories/{id}/unarchive").route(web::post().to(categories::unarchive)))
        .service(web::resource("/admin/categories/{id}/move").route(web::post().to(categories::move_category)));
}
