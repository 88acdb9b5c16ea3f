//! The pages, one module per screen; `config` wires them under `/ui`.
//!
//! Handlers are thin like the API's: extract the signed-in person (and check the CSRF token on
//! a POST), call use cases on the [`memberdesk_domain::Desk`], render a template or redirect.

mod admin_ai;
mod admin_assignment;
mod admin_canned;
mod admin_crm;
mod admin_sla;
pub(crate) mod auth;
mod categories;
mod draft;
mod portal;
mod queue;
mod settings_form;
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
        .service(web::resource("/tickets/{id}/draft").route(web::post().to(draft::draft)))
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
    admin_settings(cfg);
}

/// The admin settings pages beside categories (canned responses, SLA, assignment, AI, CRM).
fn admin_settings(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/canned-responses")
            .route(web::get().to(admin_canned::page))
            .route(web::post().to(admin_canned::create)),
    )
    .service(web::resource("/admin/canned-responses/{id}").route(web::post().to(admin_canned::update)))
    .service(web::resource("/admin/canned-responses/{id}/delete").route(web::post().to(admin_canned::delete)))
    .service(web::resource("/admin/client").route(web::post().to(admin_canned::client_name)))
    .service(web::resource("/admin/sla").route(web::get().to(admin_sla::page)).route(web::post().to(admin_sla::save)))
    .service(web::resource("/admin/assignment").route(web::get().to(admin_assignment::page)))
    .service(web::resource("/admin/assignment/agent").route(web::post().to(admin_assignment::save_agent)))
    .service(web::resource("/admin/assignment/rules").route(web::post().to(admin_assignment::save_rules)))
    .service(web::resource("/admin/ai").route(web::get().to(admin_ai::page)).route(web::post().to(admin_ai::save)))
    .service(web::resource("/admin/crm").route(web::get().to(admin_crm::page)).route(web::post().to(admin_crm::save)));
}
