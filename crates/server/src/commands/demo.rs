//! `memberdesk demo`: a working desk in one command, on the embedded SQLite default.

use super::CommandResult;
use crate::application::{Application, attachment_storage, connect_and_migrate, desk_over};
use crate::cli::DemoArgs;
use crate::commands::token::sign;
use crate::config::{Config, MIN_SECRET_BYTES, require_secret};
use memberdesk_demo::{DemoIdentity, demo_desk, seed};
use memberdesk_domain::FixedClock;
use std::sync::Arc;
use std::time::Duration;

/// Demo tokens last a week: long enough to explore, short enough not to be forgotten.
const DEMO_TOKEN_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

pub async fn run(args: DemoArgs) -> CommandResult {
    let secret = match args.serve.jwt_secret.clone() {
        Some(secret) => require_secret(Some(secret))?,
        None => {
            let generated = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
            debug_assert!(generated.len() >= MIN_SECRET_BYTES);
            eprintln!(
                "note: MEMBERDESK_JWT_SECRET is not set; this run signs with a fresh secret, so the tokens below work until the desk restarts.\n      To keep them, run with: MEMBERDESK_JWT_SECRET={generated}"
            );
            generated
        }
    };
    let config = Config {
        notifications: args.serve.notifications.config(),
        ai: args.serve.ai.config(),
        database_url: args.serve.database.database_url.clone(),
        bind: args.serve.bind,
        jwt_secret: secret,
        attachments: args.serve.attachments.location(&args.serve.database.database_url)?,
        attachment_limits: args.serve.attachments.limits(),
        sla_check_interval: args.serve.sla_check_interval(),
        session_key: args.serve.session_key.clone(),
        demo_sign_in: Some(demo_sign_in()),
    };

    let store = connect_and_migrate(&config.database_url).await?;
    let now = chrono::Utc::now();
    let clock = Arc::new(FixedClock::new(now));
    let seeding_desk = desk_over(store.clone(), attachment_storage(&config)?, clock.clone());
    let report = seed(&seeding_desk, &clock, now).await?;
    if report.already_seeded {
        eprintln!("demo data already present; nothing added");
    } else {
        eprintln!("demo data created: {} tickets", report.created_tickets);
    }

    let app = if args.no_serve {
        None
    } else {
        Some(Application::start(store, &config, Arc::new(memberdesk_domain::SystemClock))?)
    };
    let base = match &app {
        Some(app) => format!("http://{}", app.addr()),
        None => format!("http://{}", config.bind),
    };
    print_identities(&config.jwt_secret, &base)?;
    if let Some(app) = app {
        eprintln!("memberdesk demo listening on {base} (Ctrl-C to stop); web UI: {base}/ui/login");
        app.run_until_stopped().await?;
    }
    Ok(())
}

/// The web UI's demo sign-in page: every demo identity, with tokens like the ones printed.
pub fn demo_sign_in() -> memberdesk_web::DemoSignIn {
    let desk = demo_desk();
    memberdesk_web::DemoSignIn {
        client_id: desk.client_id.clone(),
        client_name: desk.client_name.clone(),
        people: desk
            .identities()
            .map(|who| memberdesk_web::DemoPerson {
                user_id: who.user_id.clone(),
                name: who.name.clone(),
                email: who.email.clone(),
                role: who.role,
            })
            .collect(),
        token_ttl: DEMO_TOKEN_TTL,
    }
}

fn print_identities(secret: &str, base: &str) -> CommandResult {
    let desk = demo_desk();
    println!("Demo desk: {} (client id `{}`)\n", desk.client_name, desk.client_id);
    let everyone: Vec<&DemoIdentity> =
        std::iter::once(&desk.admin).chain(desk.staff.iter()).chain(desk.members.iter().take(2)).collect();
    for who in everyone {
        let token = sign(secret, &desk.client_id, &who.user_id, who.role, &who.name, &who.email, DEMO_TOKEN_TTL)?;
        println!("{} <{}> — {}", who.name, who.email, who.role.as_str());
        println!("  token: {token}");
        println!("  curl -s -H 'Authorization: Bearer {token}' '{base}/api/tickets?limit=5'\n");
    }
    println!(
        "(other demo members: {})",
        desk.members.iter().skip(2).map(|m| m.user_id.as_str()).collect::<Vec<_>>().join(", ")
    );
    println!(
        "make a token for any of them with: memberdesk token --client {} --user <id> --role member --name <name> --email <email>",
        desk.client_id
    );
    Ok(())
}
