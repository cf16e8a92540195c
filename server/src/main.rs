//! `tessera-server`: parses flags, sets up logging and runs the server until Ctrl-C or SIGTERM.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let export_to = (args.first().map(String::as_str) == Some("export")).then(|| {
        args.remove(0);
        (!args.is_empty()).then(|| std::path::PathBuf::from(args.remove(0)))
    });
    // `export … --api URL`: the shop the exported site passes its API calls to.
    let api = args
        .iter()
        .position(|arg| arg == "--api")
        .filter(|_| export_to.is_some())
        .and_then(|at| {
            args.remove(at);
            (at < args.len()).then(|| args.remove(at))
        });
    let config = match tessera_server::config::Config::from_args(args.into_iter()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    match export_to {
        Some(Some(out)) => return export(&config, &out, api.as_deref()).await,
        Some(None) => {
            eprintln!("usage: tessera-server export DIR [--api URL] [flags]");
            return ExitCode::from(2);
        }
        None => {}
    }
    match tessera_server::run(config, tessera_server::shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("server failed: {error:#}");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn export(
    config: &tessera_server::config::Config,
    out: &std::path::Path,
    api: Option<&str>,
) -> ExitCode {
    match tessera_server::export::export(config, out, api).await {
        Ok(exported) => {
            println!(
                "exported {} releases in {} files to {}",
                exported.releases,
                exported.files,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
