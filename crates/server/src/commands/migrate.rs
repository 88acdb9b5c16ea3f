use super::CommandResult;
use crate::application::connect_and_migrate;
use crate::cli::DatabaseArgs;

pub async fn run(args: DatabaseArgs) -> CommandResult {
    connect_and_migrate(&args.database_url).await?;
    eprintln!("migrations are up to date");
    Ok(())
}
