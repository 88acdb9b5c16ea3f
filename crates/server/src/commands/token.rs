use super::CommandResult;
use crate::cli::{RoleArg, TokenArgs};
use crate::config::require_secret;
use memberdesk_domain::Role;
use memberdesk_http::auth::{Claims, issue_token};

pub fn role_claim(role: RoleArg) -> Role {
    match role {
        RoleArg::Admin => Role::ClientAdmin,
        RoleArg::User => Role::ClientUser,
        RoleArg::Member => Role::Member,
    }
}

/// Signs a token for one identity, valid for `ttl` from now.
pub fn sign(
    secret: &str,
    client: &str,
    user: &str,
    role: Role,
    name: &str,
    email: &str,
    ttl: std::time::Duration,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let ttl = chrono::Duration::from_std(ttl).map_err(|_| "the ttl is too long")?;
    let claims = Claims {
        sub: user.to_owned(),
        client_id: client.to_owned(),
        roles: vec![role.as_str().to_owned()],
        name: name.to_owned(),
        email: email.to_owned(),
        exp: (chrono::Utc::now() + ttl).timestamp(),
    };
    Ok(issue_token(secret, &claims)?)
}

pub fn run(args: TokenArgs) -> CommandResult {
    let secret = require_secret(args.jwt_secret)?;
    let token = sign(&secret, &args.client, &args.user, role_claim(args.role), &args.name, &args.email, *args.ttl)?;
    println!("{token}");
    Ok(())
}
