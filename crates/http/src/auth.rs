//! Bearer tokens: HS256 JWTs with the claims `sub`, `client_id`, `roles`, `name`, `email`,
//! `exp`, turned into a domain [`Actor`]. The client always comes from the token.
//!
//! - A missing, garbled, wrongly signed or expired token is 401 with `WWW-Authenticate: Bearer`.
//! - Role names the desk does not know are dropped; a token left with no known role is 403.
//! - On every authenticated request the user directory is brought up to date from the claims,
//!   through an in-process cache so that reads do not write: see [`DirectorySync`].

use crate::AppState;
use crate::error::{ApiError, AuthFailure};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use memberdesk_domain::{Actor, ClientId, Desk, Role, UserId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The claims of a memberdesk bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id on the association platform.
    pub sub: String,
    /// The association (tenant) the user acts for.
    pub client_id: String,
    /// `ROLE_CLIENT_ADMIN`, `ROLE_CLIENT_USER`, `ROLE_MEMBER`; others are ignored.
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
}

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the signing secret must not be empty")]
    EmptySecret,
    #[error("cannot sign the token: {0}")]
    Signing(#[from] jsonwebtoken::errors::Error),
}

/// Signs `claims` with the HS256 `secret` (the `memberdesk token` command, tests).
pub fn issue_token(secret: &str, claims: &Claims) -> Result<String, TokenError> {
    if secret.is_empty() {
        return Err(TokenError::EmptySecret);
    }
    Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes()))?)
}

/// Checks tokens against the configured secret.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    pub fn new(secret: &str) -> TokenVerifier {
        let mut validation = Validation::new(Algorithm::HS256);
        // An expired token is expired: no grace period.
        validation.leeway = 0;
        validation.validate_exp = true;
        // No audience is configured, so none is checked (tokens of the platform may carry one).
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        TokenVerifier { key: DecodingKey::from_secret(secret.as_bytes()), validation }
    }

    /// The actor a token describes.
    pub fn verify(&self, token: &str) -> Result<Actor, ApiError> {
        Ok(self.verify_with_expiry(token)?.0)
    }

    /// The actor a token describes, and when the token expires (seconds since the Unix epoch):
    /// a session established from the token must not outlive it.
    pub fn verify_with_expiry(&self, token: &str) -> Result<(Actor, i64), ApiError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation).map_err(|e| {
            tracing::debug!(error = %e, "bearer token refused");
            match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::Unauthorized(AuthFailure::Expired),
                _ => ApiError::Unauthorized(AuthFailure::Invalid),
            }
        })?;
        let exp = data.claims.exp;
        Ok((actor_from_claims(data.claims)?, exp))
    }
}

/// Builds the actor: unknown roles dropped, no known role → 403.
pub(crate) fn actor_from_claims(claims: Claims) -> Result<Actor, ApiError> {
    let sub = claims.sub.trim();
    let client = claims.client_id.trim();
    let unusable = |v: &str| v.is_empty() || v.chars().any(char::is_control);
    if unusable(sub) || unusable(client) || claims.name.contains('\0') || claims.email.contains('\0') {
        return Err(ApiError::Unauthorized(AuthFailure::Invalid));
    }
    let mut roles: Vec<Role> = claims.roles.iter().filter_map(|r| Role::parse(r.trim())).collect();
    roles.sort();
    roles.dedup();
    let name = match claims.name.trim() {
        "" => sub.to_owned(),
        name => name.to_owned(),
    };
    Actor::new(UserId::new(sub), ClientId::new(client), name, claims.email.trim().to_owned(), roles)
        .ok_or(ApiError::NoKnownRole)
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let mut values = req.headers().get_all(header::AUTHORIZATION);
    let Some(value) = values.next() else {
        return Err(ApiError::Unauthorized(AuthFailure::Missing));
    };
    if values.next().is_some() {
        return Err(ApiError::Unauthorized(AuthFailure::Invalid));
    }
    let value = value.to_str().map_err(|_| ApiError::Unauthorized(AuthFailure::Invalid))?;
    let (scheme, token) = value.trim().split_once(' ').ok_or(ApiError::Unauthorized(AuthFailure::Missing))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::Unauthorized(AuthFailure::Missing));
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(ApiError::Unauthorized(AuthFailure::Missing));
    }
    Ok(token.to_owned())
}

/// The caller, authenticated by their bearer token. Extracting it also brings the user
/// directory up to date (see [`DirectorySync`]).
#[derive(Debug, Clone)]
pub struct AuthenticatedActor(pub Actor);

impl std::ops::Deref for AuthenticatedActor {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

impl FromRequest for AuthenticatedActor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("the application state is not configured".into()))?;
            let actor = state.verifier.verify(&token?)?;
            state.directory.sync(&state.desk, &actor).await;
            Ok(AuthenticatedActor(actor))
        })
    }
}

/// How long a directory entry written from a token is trusted before it is written again
/// (`lastSeenAt` is therefore accurate to about this much).
pub(crate) const RESYNC_AFTER: Duration = Duration::from_secs(5 * 60);
/// Past this many cached users, entries older than [`RESYNC_AFTER`] are dropped.
const MAX_CACHED_USERS: usize = 10_000;

/// Keeps the user directory in step with the claims without writing on every request: the
/// directory is written when a user is first seen by this process, when their claims (name,
/// email, roles) change, or when the last write is older than [`RESYNC_AFTER`]. A failed write
/// is logged and does not fail the request; it is retried on the next one.
pub struct DirectorySync {
    seen: Mutex<HashMap<(ClientId, UserId), Seen>>,
    resync_after: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    claims: u64,
    at: Instant,
}

impl Default for DirectorySync {
    fn default() -> Self {
        DirectorySync::with_interval(RESYNC_AFTER)
    }
}

impl DirectorySync {
    pub(crate) fn with_interval(resync_after: Duration) -> DirectorySync {
        DirectorySync { seen: Mutex::new(HashMap::new()), resync_after }
    }

    pub async fn sync(&self, desk: &Desk, actor: &Actor) {
        let now = Instant::now();
        if !self.needs_sync(actor, now) {
            return;
        }
        match desk.sync_user(actor).await {
            Ok(()) => self.remember(actor, now),
            Err(error) => tracing::warn!(
                %error,
                client = %actor.client_id,
                user = %actor.user_id,
                "could not bring the user directory up to date; the request goes on"
            ),
        }
    }

    fn needs_sync(&self, actor: &Actor, now: Instant) -> bool {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        match seen.get(&(actor.client_id.clone(), actor.user_id.clone())) {
            Some(entry) => entry.claims != claims_hash(actor) || now.duration_since(entry.at) >= self.resync_after,
            None => true,
        }
    }

    fn remember(&self, actor: &Actor, now: Instant) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() >= MAX_CACHED_USERS {
            let ttl = self.resync_after;
            seen.retain(|_, entry| now.duration_since(entry.at) < ttl);
            if seen.len() >= MAX_CACHED_USERS {
                seen.clear();
            }
        }
        seen.insert((actor.client_id.clone(), actor.user_id.clone()), Seen { claims: claims_hash(actor), at: now });
    }
}

/// What the directory records of a user, hashed: a change means the directory is stale.
fn claims_hash(actor: &Actor) -> u64 {
    let mut hasher = DefaultHasher::new();
    actor.name.hash(&mut hasher);
    actor.email.hash(&mut hasher);
    actor.roles().hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::support::{desk_with, token_for};
    use memberdesk_domain::ports::{MockTicketStore, MockUserDirectory};

    const SECRET: &str = "test-secret";

    fn claims(roles: &[&str], exp: i64) -> Claims {
        Claims {
            sub: "u1".into(),
            client_id: "c1".into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            name: "Ann Agent".into(),
            email: "ann@example.org".into(),
            exp,
        }
    }

    fn in_an_hour() -> i64 {
        chrono::Utc::now().timestamp() + 3600
    }

    fn verify(token: &str) -> Result<Actor, ApiError> {
        TokenVerifier::new(SECRET).verify(token)
    }

    #[test]
    fn a_valid_token_gives_its_actor() {
        let token = issue_token(SECRET, &claims(&["ROLE_CLIENT_USER", "ROLE_SOMETHING_ELSE"], in_an_hour()))
            .unwrap_or_default();
        let actor = verify(&token).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(actor.user_id, UserId::new("u1"));
        assert_eq!(actor.client_id, ClientId::new("c1"));
        assert_eq!(actor.roles(), &[Role::ClientUser], "unknown roles are dropped");
        assert_eq!(actor.name, "Ann Agent");
    }

    #[test]
    fn an_expired_token_is_unauthorized() {
        let token = issue_token(SECRET, &claims(&["ROLE_CLIENT_ADMIN"], chrono::Utc::now().timestamp() - 5))
            .unwrap_or_default();
        assert!(matches!(verify(&token), Err(ApiError::Unauthorized(AuthFailure::Expired))));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_unauthorized() {
        let token = issue_token("another-secret", &claims(&["ROLE_CLIENT_ADMIN"], in_an_hour())).unwrap_or_default();
        assert!(matches!(verify(&token), Err(ApiError::Unauthorized(AuthFailure::Invalid))));
    }

    #[test]
    fn garbage_is_unauthorized() {
        for token in ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9."] {
            assert!(matches!(verify(token), Err(ApiError::Unauthorized(AuthFailure::Invalid))), "{token}");
        }
    }

    #[test]
    fn a_token_with_no_known_role_is_forbidden() {
        let token = issue_token(SECRET, &claims(&["ROLE_SUPERUSER"], in_an_hour())).unwrap_or_default();
        assert!(matches!(verify(&token), Err(ApiError::NoKnownRole)));
        let token = issue_token(SECRET, &claims(&[], in_an_hour())).unwrap_or_default();
        assert!(matches!(verify(&token), Err(ApiError::NoKnownRole)));
    }

    #[test]
    fn a_token_without_client_is_unauthorized() {
        let mut c = claims(&["ROLE_MEMBER"], in_an_hour());
        c.client_id = " ".into();
        let token = issue_token(SECRET, &c).unwrap_or_default();
        assert!(matches!(verify(&token), Err(ApiError::Unauthorized(AuthFailure::Invalid))));
    }

    #[test]
    fn a_token_without_exp_is_unauthorized() {
        #[derive(Serialize)]
        struct NoExp {
            sub: &'static str,
            client_id: &'static str,
            roles: Vec<&'static str>,
        }
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &NoExp { sub: "u1", client_id: "c1", roles: vec!["ROLE_MEMBER"] },
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap_or_default();
        assert!(matches!(verify(&token), Err(ApiError::Unauthorized(AuthFailure::Invalid))));
    }

    #[test]
    fn an_empty_secret_signs_nothing() {
        assert!(matches!(issue_token("", &claims(&["ROLE_MEMBER"], in_an_hour())), Err(TokenError::EmptySecret)));
    }

    #[test]
    fn the_test_helper_tokens_verify() {
        let token = token_for("c1", "u9", "ROLE_MEMBER");
        assert!(verify(&token).is_ok());
    }

    fn actor(name: &str) -> Actor {
        actor_from_claims(Claims { name: name.into(), ..claims(&["ROLE_CLIENT_USER"], in_an_hour()) })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The directory is written once per user, again when the claims change, and again when
    /// the last write is too old; a failing write does not count as done.
    #[actix_web::test]
    async fn directory_sync_writes_only_when_needed() {
        let mut users = MockUserDirectory::new();
        let mut seq = mockall::Sequence::new();
        users.expect_upsert_user().times(1).in_sequence(&mut seq).returning(|_| Ok(()));
        users
            .expect_upsert_user()
            .withf(|u| u.name == "Ann Renamed")
            .times(1)
            .in_sequence(&mut seq)
            .returning(|_| Err(memberdesk_domain::StoreError::Unavailable("down".into())));
        users
            .expect_upsert_user()
            .withf(|u| u.name == "Ann Renamed")
            .times(1)
            .in_sequence(&mut seq)
            .returning(|_| Ok(()));
        let desk = desk_with(MockTicketStore::new(), users);
        let sync = DirectorySync::default();
        sync.sync(&desk, &actor("Ann Agent")).await;
        sync.sync(&desk, &actor("Ann Agent")).await; // cached
        sync.sync(&desk, &actor("Ann Renamed")).await; // changed, but the write fails
        sync.sync(&desk, &actor("Ann Renamed")).await; // retried
        sync.sync(&desk, &actor("Ann Renamed")).await; // cached
    }

    #[actix_web::test]
    async fn directory_sync_refreshes_after_the_interval() {
        let mut users = MockUserDirectory::new();
        users.expect_upsert_user().times(2).returning(|_| Ok(()));
        let desk = desk_with(MockTicketStore::new(), users);
        let sync = DirectorySync::with_interval(Duration::ZERO);
        sync.sync(&desk, &actor("Ann Agent")).await;
        sync.sync(&desk, &actor("Ann Agent")).await;
    }
}
