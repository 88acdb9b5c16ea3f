//! Rows as both backends store them, and their translation to and from the domain. Reading a
//! row back never panics: a value the domain would refuse is a `StoreError::Other` naming the
//! table and the row.

use crate::schema::{idempotency_keys, outbox, responses, ticket_events, tickets, users};
use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;
use memberdesk_domain::access::Role;
use memberdesk_domain::ports::IdempotencyRecord;
use memberdesk_domain::response::Author;
use memberdesk_domain::{
    CategoryId, Change, ClientId, DirectoryUser, EventId, MemberRef, OutboxMessage, Priority, Response, ResponseId,
    ResponseKind, Status, StoreError, TicketEvent, TicketId, UserId,
};
use memberdesk_domain::{Description, Subject, Ticket};

/// The precision the store keeps: microseconds (what PostgreSQL's `timestamp` holds). Every
/// time is truncated to it on the way in so that both backends store and compare the same value.
pub(crate) fn db_time(at: DateTime<Utc>) -> NaiveDateTime {
    at.trunc_subsecs(6).naive_utc()
}

pub(crate) fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// What the `q` filter searches: subject and description, lower-cased.
pub(crate) fn search_text(subject: &str, description: &str) -> String {
    format!("{subject} {description}").to_lowercase()
}

fn corrupt(table: &str, id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {table} row {id}: {what}"))
}

fn parse_uuid<T: std::str::FromStr>(table: &str, id: &str, column: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| corrupt(table, id, format_args!("{column} `{value}` is not a UUID")))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tickets)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct TicketRow {
    pub id: String,
    pub client_id: String,
    pub number: i64,
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority_rank: i16,
    pub category_id: Option<String>,
    pub member_id: String,
    pub member_name: String,
    pub member_email: String,
    pub assignee_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub first_responded_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
    pub search_text: String,
    #[diesel(embed)]
    pub sla: crate::sla_rows::SlaColumns,
}

/// What an update writes: everything but the identity (id, client, number, creation time).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = tickets)]
#[diesel(treat_none_as_null = true)]
pub(crate) struct TicketChanges {
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority_rank: i16,
    pub category_id: Option<String>,
    pub member_id: String,
    pub member_name: String,
    pub member_email: String,
    pub assignee_id: Option<String>,
    pub updated_at: NaiveDateTime,
    pub first_responded_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
    pub search_text: String,
    #[diesel(embed)]
    pub sla: crate::sla_rows::SlaColumns,
}

impl TicketRow {
    pub(crate) fn from_domain(ticket: &Ticket, number: i64) -> TicketRow {
        TicketRow {
            id: ticket.id.to_string(),
            client_id: ticket.client_id.0.clone(),
            number,
            subject: ticket.subject.as_str().to_owned(),
            description: ticket.description.as_str().to_owned(),
            status: ticket.status.as_str().to_owned(),
            priority_rank: ticket.priority.rank(),
            category_id: ticket.category_id.map(|c| c.to_string()),
            member_id: ticket.member.id.0.clone(),
            member_name: ticket.member.name.clone(),
            member_email: ticket.member.email.clone(),
            assignee_id: ticket.assignee_id.as_ref().map(|a| a.0.clone()),
            created_at: db_time(ticket.created_at),
            updated_at: db_time(ticket.updated_at),
            first_responded_at: ticket.first_responded_at.map(db_time),
            resolved_at: ticket.resolved_at.map(db_time),
            closed_at: ticket.closed_at.map(db_time),
            version: ticket.version,
            search_text: search_text(ticket.subject.as_str(), ticket.description.as_str()),
            sla: crate::sla_rows::SlaColumns::from_domain(&ticket.sla),
        }
    }

    pub(crate) fn into_domain(self) -> Result<Ticket, StoreError> {
        const T: &str = "tickets";
        let id = &self.id;
        Ok(Ticket {
            id: parse_uuid::<TicketId>(T, id, "id", id)?,
            client_id: ClientId::new(self.client_id.clone()),
            number: self.number,
            subject: Subject::new(&self.subject).map_err(|e| corrupt(T, id, format_args!("subject {e}")))?,
            description: Description::new(&self.description)
                .map_err(|e| corrupt(T, id, format_args!("description {e}")))?,
            status: Status::parse(&self.status).map_err(|e| corrupt(T, id, format_args!("status: {e}")))?,
            priority: Priority::from_rank(self.priority_rank)
                .ok_or_else(|| corrupt(T, id, format_args!("unknown priority rank {}", self.priority_rank)))?,
            category_id: match &self.category_id {
                Some(c) => Some(parse_uuid::<CategoryId>(T, id, "category_id", c)?),
                None => None,
            },
            member: MemberRef {
                id: UserId::new(self.member_id.clone()),
                name: self.member_name.clone(),
                email: self.member_email.clone(),
            },
            assignee_id: self.assignee_id.clone().map(UserId::new),
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            first_responded_at: self.first_responded_at.map(utc),
            resolved_at: self.resolved_at.map(utc),
            closed_at: self.closed_at.map(utc),
            version: self.version,
            sla: self.sla.to_domain(id)?,
        })
    }

    pub(crate) fn changes(&self) -> TicketChanges {
        TicketChanges {
            subject: self.subject.clone(),
            description: self.description.clone(),
            status: self.status.clone(),
            priority_rank: self.priority_rank,
            category_id: self.category_id.clone(),
            member_id: self.member_id.clone(),
            member_name: self.member_name.clone(),
            member_email: self.member_email.clone(),
            assignee_id: self.assignee_id.clone(),
            updated_at: self.updated_at,
            first_responded_at: self.first_responded_at,
            resolved_at: self.resolved_at,
            closed_at: self.closed_at,
            version: self.version,
            search_text: self.search_text.clone(),
            sla: self.sla.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = responses)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct ResponseRow {
    pub id: String,
    pub client_id: String,
    pub ticket_id: String,
    pub kind: String,
    pub author_id: String,
    pub author_name: String,
    pub author_role: String,
    pub body: String,
    pub created_at: NaiveDateTime,
}

impl ResponseRow {
    pub(crate) fn from_domain(client: &ClientId, response: &Response) -> ResponseRow {
        ResponseRow {
            id: response.id.to_string(),
            client_id: client.0.clone(),
            ticket_id: response.ticket_id.to_string(),
            kind: response.kind.as_str().to_owned(),
            author_id: response.author.id.0.clone(),
            author_name: response.author.name.clone(),
            author_role: response.author.role.as_str().to_owned(),
            body: response.body.clone(),
            created_at: db_time(response.created_at),
        }
    }

    pub(crate) fn into_domain(self) -> Result<Response, StoreError> {
        const T: &str = "responses";
        let id = &self.id;
        Ok(Response {
            id: parse_uuid::<ResponseId>(T, id, "id", id)?,
            ticket_id: parse_uuid::<TicketId>(T, id, "ticket_id", &self.ticket_id)?,
            kind: ResponseKind::parse(&self.kind).map_err(|e| corrupt(T, id, format_args!("kind: {e}")))?,
            author: Author {
                id: UserId::new(self.author_id.clone()),
                name: self.author_name.clone(),
                role: Role::parse(&self.author_role)
                    .ok_or_else(|| corrupt(T, id, format_args!("unknown author role `{}`", self.author_role)))?,
            },
            body: self.body.clone(),
            created_at: utc(self.created_at),
            attachments: Vec::new(),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ticket_events)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct EventRow {
    pub id: String,
    pub client_id: String,
    pub ticket_id: String,
    pub actor_id: String,
    pub actor_name: String,
    pub kind: String,
    pub internal: bool,
    pub payload: String,
    pub at: NaiveDateTime,
}

impl EventRow {
    pub(crate) fn from_domain(event: &TicketEvent) -> Result<EventRow, StoreError> {
        let payload = serde_json::to_string(&event.change)
            .map_err(|e| StoreError::Other(format!("cannot serialise event {}: {e}", event.id)))?;
        Ok(EventRow {
            id: event.id.to_string(),
            client_id: event.client_id.0.clone(),
            ticket_id: event.ticket_id.to_string(),
            actor_id: event.actor_id.0.clone(),
            actor_name: event.actor_name.clone(),
            kind: event.change.name().to_owned(),
            internal: event.change.is_internal(),
            payload,
            at: db_time(event.at),
        })
    }

    pub(crate) fn into_domain(self) -> Result<TicketEvent, StoreError> {
        const T: &str = "ticket_events";
        let id = &self.id;
        let change: Change =
            serde_json::from_str(&self.payload).map_err(|e| corrupt(T, id, format_args!("payload: {e}")))?;
        Ok(TicketEvent {
            id: parse_uuid::<EventId>(T, id, "id", id)?,
            ticket_id: parse_uuid::<TicketId>(T, id, "ticket_id", &self.ticket_id)?,
            client_id: ClientId::new(self.client_id.clone()),
            actor_id: UserId::new(self.actor_id.clone()),
            actor_name: self.actor_name.clone(),
            at: utc(self.at),
            change,
        })
    }
}

/// A new outbox row; delivery columns (`status`, `attempts`, …) take their defaults.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct NewOutboxRow {
    pub id: String,
    pub client_id: String,
    pub ticket_id: Option<String>,
    pub topic: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
    pub available_at: NaiveDateTime,
}

impl NewOutboxRow {
    pub(crate) fn from_domain(message: &OutboxMessage) -> Result<NewOutboxRow, StoreError> {
        let payload = serde_json::to_string(&message.payload)
            .map_err(|e| StoreError::Other(format!("cannot serialise outbox message {}: {e}", message.id)))?;
        Ok(NewOutboxRow {
            id: message.id.to_string(),
            client_id: message.client_id.0.clone(),
            ticket_id: message.ticket_id.map(|t| t.to_string()),
            topic: message.topic.clone(),
            payload,
            created_at: db_time(message.created_at),
            available_at: db_time(message.created_at),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct IdempotencyRow {
    pub client_id: String,
    pub user_id: String,
    pub key: String,
    pub fingerprint: String,
    pub ticket_id: String,
    pub response_id: Option<String>,
    pub created_at: NaiveDateTime,
}

impl IdempotencyRow {
    pub(crate) fn from_domain(record: &IdempotencyRecord) -> IdempotencyRow {
        IdempotencyRow {
            client_id: record.client_id.0.clone(),
            user_id: record.user_id.0.clone(),
            key: record.key.clone(),
            fingerprint: record.fingerprint.clone(),
            ticket_id: record.ticket_id.to_string(),
            response_id: record.response_id.map(|r| r.to_string()),
            created_at: db_time(record.created_at),
        }
    }

    pub(crate) fn into_domain(self) -> Result<IdempotencyRecord, StoreError> {
        const T: &str = "idempotency_keys";
        let id = format!("{}/{}/{}", self.client_id, self.user_id, self.key);
        Ok(IdempotencyRecord {
            ticket_id: parse_uuid::<TicketId>(T, &id, "ticket_id", &self.ticket_id)?,
            response_id: match &self.response_id {
                Some(r) => Some(parse_uuid::<ResponseId>(T, &id, "response_id", r)?),
                None => None,
            },
            client_id: ClientId::new(self.client_id),
            user_id: UserId::new(self.user_id),
            key: self.key,
            fingerprint: self.fingerprint,
            created_at: utc(self.created_at),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct UserRow {
    pub client_id: String,
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: String,
    pub is_staff: bool,
    pub last_seen_at: NaiveDateTime,
}

impl UserRow {
    pub(crate) fn from_domain(user: &DirectoryUser) -> UserRow {
        UserRow {
            client_id: user.client_id.0.clone(),
            id: user.id.0.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            roles: user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(","),
            is_staff: user.is_staff(),
            last_seen_at: db_time(user.last_seen_at),
        }
    }

    pub(crate) fn into_domain(self) -> Result<DirectoryUser, StoreError> {
        let id = format!("{}/{}", self.client_id, self.id);
        let roles = self
            .roles
            .split(',')
            .filter(|r| !r.is_empty())
            .map(|r| Role::parse(r).ok_or_else(|| corrupt("users", &id, format_args!("unknown role `{r}`"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DirectoryUser {
            id: UserId::new(self.id),
            client_id: ClientId::new(self.client_id),
            name: self.name,
            email: self.email,
            roles,
            last_seen_at: utc(self.last_seen_at),
        })
    }
}

/// The rows one `Commit` adds, converted before the transaction starts so that nothing but
/// database work happens inside it.
#[derive(Debug, Default)]
pub(crate) struct CommitRows {
    pub responses: Vec<ResponseRow>,
    /// The responses' attachments, inserted after them.
    pub attachments: Vec<crate::attachment_queries::AttachmentRow>,
    pub events: Vec<EventRow>,
    pub outbox: Vec<NewOutboxRow>,
    pub idempotency: Option<IdempotencyRow>,
}

impl CommitRows {
    pub(crate) fn new(client: &ClientId, commit: &memberdesk_domain::ports::Commit) -> Result<CommitRows, StoreError> {
        Ok(CommitRows {
            responses: commit.responses.iter().map(|r| ResponseRow::from_domain(client, r)).collect(),
            attachments: crate::attachment_queries::commit_attachment_rows(commit)?,
            events: commit.events.iter().map(EventRow::from_domain).collect::<Result<_, _>>()?,
            outbox: commit.outbox.iter().map(NewOutboxRow::from_domain).collect::<Result<_, _>>()?,
            idempotency: commit.idempotency.as_ref().map(IdempotencyRow::from_domain),
        })
    }
}
