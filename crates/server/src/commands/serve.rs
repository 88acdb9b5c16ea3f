use super::CommandResult;
use crate::application::Application;
use crate::cli::ServeArgs;
use crate::config::{Config, require_secret};

pub async fn run(args: ServeArgs) -> CommandResult {
    let config = Config {
        notifications: args.notifications.config(),
        ai: args.ai.config(),
        sla_check_interval: args.sla_check_interval(),
        attachments: args.attachments.location(&args.database.database_url)?,
        attachment_limits: args.attachments.limits(),
        database_url: args.database.database_url,
        bind: args.bind,
        jwt_secret: require_secret(args.jwt_secret)?,
        session_key: args.session_key,
        demo_sign_in: None,
    };
    let app = Application::build(&config).await?;
    tracing::info!(addr = %app.addr(), "memberdesk is listening");
    eprintln!("memberdesk listening on http://{}", app.addr());
    app.run_until_stopped().await?;
    Ok(())
}
