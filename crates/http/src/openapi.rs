//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` attributes and the
//! DTOs' schemas, served at `GET /api/openapi.json`.
//!
//! Responses every authenticated operation can give (401, 403, 500, 503) are added to each of
//! them by [`CommonResponses`] instead of being repeated on every handler.

use crate::dto::*;
use crate::error::Problem;
use crate::routes::{
    agents, assignment, attachments, canned_responses, categories, drafts, health, knowledge_base, notifications,
    settings, sla_settings, summaries, support_ai, tickets,
};
use actix_web::{HttpResponse, web};
use std::sync::OnceLock;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "memberdesk",
        description = "The member-support ticket desk of an association platform. Authenticate with \
                       `Authorization: Bearer <JWT>` (HS256; claims sub, client_id, roles, name, email, exp). \
                       Errors are `application/problem+json` with a stable `code`."
    ),
    paths(
        tickets::create_ticket,
        tickets::list_tickets,
        tickets::queue_stats,
        tickets::get_ticket,
        tickets::update_ticket,
        tickets::add_response,
        tickets::assign_ticket,
        tickets::change_status,
        tickets::ticket_history,
        summaries::get_ticket_summary,
        summaries::get_conversation_summary,
        summaries::refresh_ticket_summary,
        summaries::ticket_summary_history,
        summaries::refresh_conversation_summary,
        summaries::conversation_summary_history,
        drafts::draft_response,
        attachments::download_attachment,
        agents::list_agents,
        assignment::update_agent,
        assignment::get_assignment_rules,
        assignment::put_assignment_rules,
        categories::list_categories,
        categories::create_category,
        categories::get_category,
        categories::update_category,
        categories::archive_category,
        categories::reorder_categories,
        canned_responses::list_canned_responses,
        canned_responses::create_canned_response,
        canned_responses::get_canned_response,
        canned_responses::update_canned_response,
        canned_responses::delete_canned_response,
        canned_responses::render_canned_response,
        knowledge_base::list_articles,
        knowledge_base::create_article,
        knowledge_base::get_article,
        knowledge_base::update_article,
        knowledge_base::delete_article,
        knowledge_base::search_articles,
        settings::get_client_settings,
        settings::update_client_settings,
        notifications::list_outbox,
        notifications::retry_outbox,
        notifications::get_crm_settings,
        notifications::put_crm_settings,
        sla_settings::get_sla_settings,
        sla_settings::update_sla_settings,
        support_ai::get_support_ai_settings,
        support_ai::put_support_ai_settings,
        support_ai::get_draft_usage,
        health::healthz,
        health::readyz,
        openapi_json,
    ),
    components(schemas(
        Problem,
        StatusDto,
        PriorityDto,
        ResponseKindDto,
        RoleDto,
        TicketDto,
        TicketDetailDto,
        TicketPageDto,
        ResponseDto,
        HistoryDto,
        HistoryEntryDto,
        ChangeDto,
        AgentListDto,
        assignment::AgentStateDto,
        assignment::AgentStateListDto,
        assignment::UpdateAgentRequest,
        assignment::AssignmentRulesDto,
        assignment::ManualAssignmentDto,
        QueueStatsDto,
        CreateTicketRequest,
        UpdateTicketRequest,
        NewResponseRequest,
        NewResponseUpload,
        AttachmentDto,
        AssignRequest,
        StatusRequest,
        CategoryDto,
        CategoryListDto,
        CreateCategoryRequest,
        UpdateCategoryRequest,
        ReorderCategoriesRequest,
        CannedResponseDto,
        CannedResponseListDto,
        CreateCannedResponseRequest,
        UpdateCannedResponseRequest,
        RenderedCannedResponseDto,
        ClientSettingsDto,
        UpdateClientSettingsRequest,
        OutboxMessageDto,
        OutboxPageDto,
        CrmSettingsDto,
        UpdateCrmSettingsRequest,
        SlaSettingsDto,
        UpdateSlaSettingsRequest,
        TicketSlaDto,
        SlaReportDto,
        summaries::TicketSummaryDto,
        summaries::ConversationSummaryDto,
        summaries::TimelineEntryDto,
        summaries::TicketBasicsDto,
        summaries::SummaryUnavailableDto,
        summaries::SummaryHistoryDto,
        knowledge_base::ArticleDto,
        knowledge_base::ArticleListItemDto,
        knowledge_base::ArticleListDto,
        knowledge_base::CreateArticleRequest,
        knowledge_base::UpdateArticleRequest,
        knowledge_base::SearchHitDto,
        knowledge_base::SearchResultsDto,
        drafts::ToneDto,
        drafts::DraftResponseRequest,
        drafts::SuggestedAttachmentDto,
        drafts::DraftDto,
        drafts::CannedChoiceDto,
        drafts::DraftUnavailableDto,
        support_ai::TermRuleDto,
        support_ai::SupportAiSettingsDto,
        support_ai::UpdateSupportAiSettingsRequest,
        support_ai::UsageFiguresDto,
        support_ai::AgentUsageDto,
        support_ai::DraftUsageDto,
    )),
    modifiers(&CommonResponses),
    tags(
        (name = "tickets", description = "The queue, tickets, replies and notes, workflow, assignment, history"),
        (name = "agents", description = "The client's support staff"),
        (name = "categories", description = "The client's ticket categories: picker, management, order"),
        (name = "canned responses", description = "Canned responses and response templates, filled in for a ticket"),
        (name = "knowledge base", description = "The client's help articles: admin management, staff full-text search"),
        (name = "settings", description = "The client's settings on the desk"),
        (name = "notifications", description = "The outbox of emails and CRM notes, and the CRM settings (admins)"),
        (name = "operations", description = "Health, readiness, metrics and this document")
    )
)]
pub struct ApiDoc;

/// Adds the bearer scheme, the responses every authenticated operation may give, and
/// `/metrics` (served by the metrics middleware, so it has no handler to annotate).
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        crate::error::PROBLEM_JSON,
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                    )
                    .build(),
            )
        };
        let common = [
            ("401", "Missing, malformed, wrongly signed or expired bearer token (`WWW-Authenticate: Bearer`)"),
            ("403", "The caller's role may not do this, or the token carries no known role"),
            ("500", "A failure on the server's side (logged; never caused by the request)"),
            ("503", "Storage is unavailable; retry later"),
        ];
        for item in openapi.paths.paths.values_mut() {
            for operation in
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                if operation.security.as_ref().is_none_or(|s| s.is_empty()) {
                    continue;
                }
                for (status, description) in common {
                    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| problem(description));
                }
            }
        }
        let metrics = OperationBuilder::new()
            .tag("operations")
            .summary(Some("Prometheus metrics"))
            .description(Some("Request counts and durations per route, in the Prometheus text format."))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("Metrics")
                    .content("text/plain; version=0.0.4", ContentBuilder::new().build())
                    .build(),
            )
            .build();
        openapi.paths.paths.insert("/metrics".to_owned(), PathItem::new(HttpMethod::Get, metrics));
    }
}

/// The document, built once.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_default())
}

pub(crate) fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/openapi.json").route(web::get().to(openapi_json)));
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
pub(crate) async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(document())
}
