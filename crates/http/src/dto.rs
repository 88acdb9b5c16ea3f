//! The API's JSON shapes (camelCase), separate from the domain's types so that the wire format
//! changes only on purpose. Responses are built `From` domain values; requests convert into the
//! use cases' unvalidated inputs (the domain validates, and its messages name allowed values).

use chrono::{DateTime, Utc};
use memberdesk_domain::query::{DurationStats, QueueStats};
use memberdesk_domain::usecases::{CreateTicketInput, MemberInput, NewResponseInput, TicketDetails, TicketPatchInput};
use memberdesk_domain::{
    Attachment, Change, DirectoryUser, Page, Priority, Response, ResponseKind, Role, Status, Ticket, TicketEvent,
    workflow,
};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::catalog_dto::*;
pub use crate::notify_dto::*;
pub use crate::sla_dto::*;

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

/// Where a ticket stands in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusDto {
    Open,
    InProgress,
    Waiting,
    Resolved,
    Closed,
}

impl From<Status> for StatusDto {
    fn from(status: Status) -> Self {
        match status {
            Status::Open => StatusDto::Open,
            Status::InProgress => StatusDto::InProgress,
            Status::Waiting => StatusDto::Waiting,
            Status::Resolved => StatusDto::Resolved,
            Status::Closed => StatusDto::Closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriorityDto {
    Low,
    Medium,
    High,
}

impl From<Priority> for PriorityDto {
    fn from(priority: Priority) -> Self {
        match priority {
            Priority::Low => PriorityDto::Low,
            Priority::Medium => PriorityDto::Medium,
            Priority::High => PriorityDto::High,
        }
    }
}

/// `reply` is public (the member reads it); `note` is internal to staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseKindDto {
    Reply,
    Note,
}

impl From<ResponseKind> for ResponseKindDto {
    fn from(kind: ResponseKind) -> Self {
        match kind {
            ResponseKind::Reply => ResponseKindDto::Reply,
            ResponseKind::Note => ResponseKindDto::Note,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum RoleDto {
    #[serde(rename = "ROLE_CLIENT_ADMIN")]
    ClientAdmin,
    #[serde(rename = "ROLE_CLIENT_USER")]
    ClientUser,
    #[serde(rename = "ROLE_MEMBER")]
    Member,
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        match role {
            Role::ClientAdmin => RoleDto::ClientAdmin,
            Role::ClientUser => RoleDto::ClientUser,
            Role::Member => RoleDto::Member,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tickets
// ---------------------------------------------------------------------------------------------

/// The member who raised a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberDto {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// A ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketDto {
    pub id: Uuid,
    /// Human number, unique per client.
    pub number: i64,
    /// `#` and the number, e.g. `#1042`.
    #[schema(example = "#1042")]
    pub reference: String,
    pub subject: String,
    pub description: String,
    pub status: StatusDto,
    pub priority: PriorityDto,
    pub category_id: Option<Uuid>,
    pub member: MemberDto,
    /// The staff user working the ticket.
    pub assignee_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The first public reply by staff.
    pub first_responded_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Grows by one with every change; the `ETag` is this number in quotes.
    pub version: i64,
    /// The statuses the workflow allows next (whether the caller's role may make each move is
    /// decided when they try).
    pub allowed_statuses: Vec<StatusDto>,
    /// Flagged by an SLA escalation (always `false` for members).
    pub escalated: bool,
    /// The SLA targets at the time of the response; `null` without SLA, and for members.
    pub sla: Option<TicketSlaDto>,
}

impl From<&Ticket> for TicketDto {
    fn from(t: &Ticket) -> Self {
        TicketDto {
            id: t.id.0,
            number: t.number,
            reference: t.reference(),
            subject: t.subject.as_str().to_owned(),
            description: t.description.as_str().to_owned(),
            status: t.status.into(),
            priority: t.priority.into(),
            category_id: t.category_id.map(|c| c.0),
            member: MemberDto {
                id: t.member.id.as_str().to_owned(),
                name: t.member.name.clone(),
                email: t.member.email.clone(),
            },
            assignee_id: t.assignee_id.as_ref().map(|a| a.as_str().to_owned()),
            created_at: t.created_at,
            updated_at: t.updated_at,
            first_responded_at: t.first_responded_at,
            resolved_at: t.resolved_at,
            closed_at: t.closed_at,
            version: t.version,
            allowed_statuses: workflow::allowed_next(t.status).iter().map(|s| (*s).into()).collect(),
            escalated: t.sla.escalated,
            sla: TicketSlaDto::of(t),
        }
    }
}

/// A ticket with the conversation the caller may see (members never get notes), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketDetailDto {
    #[serde(flatten)]
    pub ticket: TicketDto,
    pub responses: Vec<ResponseDto>,
}

impl From<&TicketDetails> for TicketDetailDto {
    fn from(d: &TicketDetails) -> Self {
        TicketDetailDto { ticket: (&d.ticket).into(), responses: d.responses.iter().map(Into::into).collect() }
    }
}

/// One page of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketPageDto {
    pub items: Vec<TicketDto>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// How many tickets match the filters in all, counted exactly up to 10 000.
    pub total: i64,
    /// `false` when more than 10 000 tickets match: `total` is then a lower bound ("10 000+").
    pub total_exact: bool,
}

impl From<&Page<Ticket>> for TicketPageDto {
    fn from(page: &Page<Ticket>) -> Self {
        TicketPageDto {
            items: page.items.iter().map(Into::into).collect(),
            next_cursor: page.next_cursor.clone(),
            total: page.total,
            total_exact: page.total_exact,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Responses (replies and notes)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthorDto {
    pub id: String,
    pub name: String,
    /// The role the author wrote with.
    pub role: RoleDto,
}

/// A reply to the member or an internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResponseDto {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub kind: ResponseKindDto,
    pub author: AuthorDto,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Files attached to it, in upload order (empty when none).
    pub attachments: Vec<AttachmentDto>,
}

/// A file attached to a reply or note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentDto {
    pub id: Uuid,
    /// The name it was uploaded with, made safe: no path, no control characters, at most 200
    /// characters.
    pub filename: String,
    /// Sniffed from the bytes, not taken from the upload.
    pub content_type: String,
    /// In bytes.
    pub size: u64,
    /// SHA-256 of the bytes, lower-case hex (also the download's `ETag`).
    pub sha256: String,
    /// Where to download it: `/api/attachments/{id}`.
    pub url: String,
}

impl From<&Attachment> for AttachmentDto {
    fn from(a: &Attachment) -> Self {
        AttachmentDto {
            id: a.id.0,
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            url: format!("/api/attachments/{}", a.id),
        }
    }
}

impl From<&Response> for ResponseDto {
    fn from(r: &Response) -> Self {
        ResponseDto {
            id: r.id.0,
            ticket_id: r.ticket_id.0,
            kind: r.kind.into(),
            author: AuthorDto {
                id: r.author.id.as_str().to_owned(),
                name: r.author.name.clone(),
                role: r.author.role.into(),
            },
            body: r.body.clone(),
            created_at: r.created_at,
            attachments: r.attachments.iter().map(AttachmentDto::from).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventActorDto {
    pub id: String,
    pub name: String,
}

/// What changed; `type` names the change, the other fields depend on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChangeDto {
    #[serde(rename_all = "camelCase")]
    Created {
        subject: String,
        status: StatusDto,
        priority: PriorityDto,
        category_id: Option<Uuid>,
    },
    #[serde(rename_all = "camelCase")]
    Replied {
        response_id: Uuid,
    },
    #[serde(rename_all = "camelCase")]
    NoteAdded {
        response_id: Uuid,
    },
    StatusChanged {
        from: StatusDto,
        to: StatusDto,
    },
    PriorityChanged {
        from: PriorityDto,
        to: PriorityDto,
    },
    CategoryChanged {
        from: Option<Uuid>,
        to: Option<Uuid>,
    },
    SubjectChanged {
        from: String,
        to: String,
    },
    DescriptionChanged {
        from: String,
        to: String,
    },
    #[serde(rename_all = "camelCase")]
    AssigneeChanged {
        from: Option<String>,
        to: Option<String>,
        /// `{ "by": "manual", "adminId" }` or `{ "by": "rule", "ruleIndex", "ruleName", "strategy" }`;
        /// absent for escalations and assignments recorded before rules existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Option<Object>)]
        assigned_by: Option<serde_json::Value>,
    },
    /// An SLA target became at risk (staff only).
    SlaWarning {
        target: SlaTargetDto,
    },
    /// An SLA target breached (staff only).
    SlaBreached {
        target: SlaTargetDto,
    },
    /// The ticket was flagged as escalated after the target breached (staff only).
    Escalated {
        target: SlaTargetDto,
    },
}

impl From<&Change> for ChangeDto {
    fn from(change: &Change) -> Self {
        let user = |u: &Option<memberdesk_domain::UserId>| u.as_ref().map(|u| u.as_str().to_owned());
        match change {
            Change::Created { subject, status, priority, category_id } => ChangeDto::Created {
                subject: subject.clone(),
                status: (*status).into(),
                priority: (*priority).into(),
                category_id: category_id.map(|c| c.0),
            },
            Change::Replied { response_id } => ChangeDto::Replied { response_id: response_id.0 },
            Change::NoteAdded { response_id } => ChangeDto::NoteAdded { response_id: response_id.0 },
            Change::StatusChanged { from, to } => ChangeDto::StatusChanged { from: (*from).into(), to: (*to).into() },
            Change::PriorityChanged { from, to } => {
                ChangeDto::PriorityChanged { from: (*from).into(), to: (*to).into() }
            }
            Change::CategoryChanged { from, to } => {
                ChangeDto::CategoryChanged { from: from.map(|c| c.0), to: to.map(|c| c.0) }
            }
            Change::SubjectChanged { from, to } => ChangeDto::SubjectChanged { from: from.clone(), to: to.clone() },
            Change::DescriptionChanged { from, to } => {
                ChangeDto::DescriptionChanged { from: from.clone(), to: to.clone() }
            }
            Change::AssigneeChanged { from, to, assigned_by } => ChangeDto::AssigneeChanged {
                from: user(from),
                to: user(to),
                assigned_by: assigned_by.as_ref().and_then(|by| serde_json::to_value(by).ok()),
            },
            Change::SlaWarning { target } => ChangeDto::SlaWarning { target: (*target).into() },
            Change::SlaBreached { target } => ChangeDto::SlaBreached { target: (*target).into() },
            Change::Escalated { target } => ChangeDto::Escalated { target: (*target).into() },
        }
    }
}

/// One entry of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntryDto {
    pub id: Uuid,
    pub actor: EventActorDto,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub change: ChangeDto,
}

impl From<&TicketEvent> for HistoryEntryDto {
    fn from(e: &TicketEvent) -> Self {
        HistoryEntryDto {
            id: e.id.0,
            actor: EventActorDto { id: e.actor_id.as_str().to_owned(), name: e.actor_name.clone() },
            at: e.at,
            change: (&e.change).into(),
        }
    }
}

/// A ticket's history, oldest first (members never see note entries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HistoryDto {
    pub items: Vec<HistoryEntryDto>,
}

// ---------------------------------------------------------------------------------------------
// Agents and queue statistics
// ---------------------------------------------------------------------------------------------

/// A staff user of the client, as last seen in their token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentDto {
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<RoleDto>,
    pub last_seen_at: DateTime<Utc>,
}

impl From<&DirectoryUser> for AgentDto {
    fn from(u: &DirectoryUser) -> Self {
        AgentDto {
            id: u.id.as_str().to_owned(),
            name: u.name.clone(),
            email: u.email.clone(),
            roles: u.roles.iter().map(|r| (*r).into()).collect(),
            last_seen_at: u.last_seen_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentListDto {
    pub items: Vec<AgentDto>,
}

/// A count of tickets in one category (`key: null` is "no category").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CategoryCountDto {
    pub key: Option<Uuid>,
    pub count: i64,
}

/// A count of tickets of one assignee (`key: null` is "unassigned").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssigneeCountDto {
    pub key: Option<String>,
    pub count: i64,
}

/// Mean, median and 90th percentile of a duration over the tickets that have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DurationStatsDto {
    pub count: i64,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
    /// Interpolated between the two nearest values (like PostgreSQL's `percentile_cont`).
    pub p90_seconds: Option<f64>,
}

impl From<&DurationStats> for DurationStatsDto {
    fn from(d: &DurationStats) -> Self {
        DurationStatsDto {
            count: d.count,
            mean_seconds: d.mean_seconds,
            median_seconds: d.median_seconds,
            p90_seconds: d.p90_seconds,
        }
    }
}

/// Queue statistics over the tickets the filters select.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatsDto {
    pub total: i64,
    /// Every status, with 0 where there is none.
    #[schema(example = json!({"open": 4, "in_progress": 2, "waiting": 1, "resolved": 0, "closed": 9}))]
    pub by_status: BTreeMap<String, i64>,
    /// Every priority, with 0 where there is none.
    #[schema(example = json!({"low": 3, "medium": 10, "high": 3}))]
    pub by_priority: BTreeMap<String, i64>,
    pub by_category: Vec<CategoryCountDto>,
    pub by_assignee: Vec<AssigneeCountDto>,
    /// Active (open, in progress, waiting) tickets with no assignee.
    pub unassigned: i64,
    /// Creation time of the oldest ticket still `open`.
    pub oldest_open_created_at: Option<DateTime<Utc>>,
    /// Its age in seconds at the time of the request.
    pub oldest_open_age_seconds: Option<i64>,
    /// From creation to the first public staff reply.
    pub first_response: DurationStatsDto,
    /// From creation to resolution.
    pub resolution: DurationStatsDto,
    /// SLA figures: counted times and met/breached counts per target, overall and by category,
    /// priority and agent (tickets with an SLA only).
    pub sla: SlaReportDto,
}

impl From<&QueueStats> for QueueStatsDto {
    fn from(s: &QueueStats) -> Self {
        QueueStatsDto {
            total: s.total,
            by_status: Status::ALL
                .iter()
                .map(|st| (st.as_str().to_owned(), s.by_status.get(st).copied().unwrap_or(0)))
                .collect(),
            by_priority: Priority::ALL
                .iter()
                .map(|p| (p.as_str().to_owned(), s.by_priority.get(p).copied().unwrap_or(0)))
                .collect(),
            by_category: s
                .by_category
                .iter()
                .map(|g| CategoryCountDto { key: g.key.map(|c| c.0), count: g.count })
                .collect(),
            by_assignee: s
                .by_assignee
                .iter()
                .map(|g| AssigneeCountDto { key: g.key.as_ref().map(|u| u.as_str().to_owned()), count: g.count })
                .collect(),
            unassigned: s.unassigned,
            oldest_open_created_at: s.oldest_open_created_at,
            oldest_open_age_seconds: s.oldest_open_age_seconds,
            first_response: (&s.first_response).into(),
            resolution: (&s.resolution).into(),
            sla: (&s.sla).into(),
        }
    }
}

/// `GET /healthz`, `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HealthDto {
    #[schema(example = "ok")]
    pub status: String,
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// `null` and a value are `Some`; an absent field (with `#[serde(default)]`) stays `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The member a ticket is for (staff raising a ticket on a member's behalf).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberInputDto {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub email: String,
}

/// A new ticket. Members raise tickets for themselves (`member` and `priority` are ignored);
/// staff must name the `member`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateTicketRequest {
    /// One line, 1–200 characters.
    #[serde(default)]
    #[schema(required = true, example = "Cannot log in since the password reset")]
    pub subject: String,
    /// 1–50 000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub description: String,
    /// `low`, `medium` (default) or `high`; staff only.
    #[schema(value_type = Option<PriorityDto>)]
    pub priority: Option<String>,
    /// An active category of the client.
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<String>,
    /// Required when staff raise the ticket.
    pub member: Option<MemberInputDto>,
}

impl From<CreateTicketRequest> for CreateTicketInput {
    fn from(r: CreateTicketRequest) -> Self {
        CreateTicketInput {
            subject: r.subject,
            description: r.description,
            priority: r.priority,
            category_id: r.category_id,
            member: r.member.map(|m| MemberInput { id: m.id, name: m.name, email: m.email }),
        }
    }
}

/// Fields to change; absent fields stay as they are. At least one is needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTicketRequest {
    pub subject: Option<String>,
    pub description: Option<String>,
    /// A category id, or `null` to clear the category.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<String>>,
    /// Admins only.
    #[schema(value_type = Option<PriorityDto>)]
    pub priority: Option<String>,
}

impl From<UpdateTicketRequest> for TicketPatchInput {
    fn from(r: UpdateTicketRequest) -> Self {
        TicketPatchInput {
            subject: r.subject,
            description: r.description,
            category_id: r.category_id,
            priority: r.priority,
        }
    }
}

/// A reply to the member or an internal note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewResponseRequest {
    /// `reply` (default) or `note` (staff only).
    #[schema(value_type = Option<ResponseKindDto>)]
    pub kind: Option<String>,
    /// 1–50 000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub body: String,
    /// The draft (`POST …/draft-response`) this reply was posted from, for the draft usage
    /// report: a draft of this ticket, with a reply only (else 422).
    #[serde(default)]
    pub draft_id: Option<String>,
}

/// A reply or note with files, as `multipart/form-data` parts (documentation only: the body is
/// read as a stream).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewResponseUpload {
    /// `reply` (default) or `note` (staff only).
    #[schema(value_type = Option<ResponseKindDto>)]
    pub kind: Option<String>,
    /// 1–50 000 characters.
    #[schema(required = true)]
    pub body: String,
    /// The draft this reply was posted from (as in the JSON body).
    pub draft_id: Option<String>,
    /// One part per file (also accepted as `files[]` or `file`), with a `filename`. At most 10
    /// files of at most 10 MiB each by default (`MEMBERDESK_MAX_ATTACHMENTS`,
    /// `MEMBERDESK_MAX_ATTACHMENT_BYTES`); none may be empty.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<String>,
}

impl From<NewResponseRequest> for NewResponseInput {
    fn from(r: NewResponseRequest) -> Self {
        NewResponseInput { kind: r.kind, body: r.body, draft_id: r.draft_id }
    }
}

/// `{"assigneeId": "<staff user id>"}` assigns, `{"assigneeId": null}` unassigns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignRequest {
    /// Required; `null` unassigns.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, required = true)]
    pub assignee_id: Option<Option<String>>,
}

/// The status to move the ticket to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    #[serde(default)]
    #[schema(value_type = StatusDto, required = true)]
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The history `type` is the domain's stable change name.
    #[test]
    fn change_types_are_the_domain_names() {
        use memberdesk_domain::{CategoryId, ResponseId, UserId};
        let changes = [
            Change::Created { subject: "s".into(), status: Status::Open, priority: Priority::Low, category_id: None },
            Change::Replied { response_id: ResponseId::new() },
            Change::NoteAdded { response_id: ResponseId::new() },
            Change::StatusChanged { from: Status::Open, to: Status::Closed },
            Change::PriorityChanged { from: Priority::Low, to: Priority::High },
            Change::CategoryChanged { from: None, to: Some(CategoryId::new()) },
            Change::SubjectChanged { from: "a".into(), to: "b".into() },
            Change::DescriptionChanged { from: "a".into(), to: "b".into() },
            Change::AssigneeChanged { from: Some(UserId::new("u")), to: None, assigned_by: None },
        ];
        for change in changes {
            let json = serde_json::to_value(ChangeDto::from(&change)).unwrap_or_default();
            assert_eq!(json["type"], change.name(), "{json}");
        }
        let json = serde_json::to_value(ChangeDto::from(&Change::Replied { response_id: ResponseId::new() }))
            .unwrap_or_default();
        assert!(json.get("responseId").is_some(), "{json}");
    }

    #[test]
    fn assign_tells_null_from_absent() {
        let parse = |t: &str| serde_json::from_str::<AssignRequest>(t).map(|r| r.assignee_id).ok();
        assert_eq!(parse(r#"{"assigneeId": "u1"}"#), Some(Some(Some("u1".into()))));
        assert_eq!(parse(r#"{"assigneeId": null}"#), Some(Some(None)));
        assert_eq!(parse(r#"{}"#), Some(None));
    }

    #[test]
    fn category_patch_tells_null_from_absent() {
        let parse = |t: &str| serde_json::from_str::<UpdateTicketRequest>(t).map(|r| r.category_id).ok();
        assert_eq!(parse(r#"{"categoryId": null}"#), Some(Some(None)));
        assert_eq!(parse(r#"{"subject": "x"}"#), Some(None));
    }
}
