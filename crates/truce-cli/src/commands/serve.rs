//! `truce serve`: the web application of live mediated negotiation (the `truce-server` crate), on
//! an SQLite file (the default, created on first start) or PostgreSQL.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::CliError;

const AFTER_HELP: &str = "\
The administrator's token is read from TRUCE_ADMIN_TOKEN; without it, one is made at the first start and printed once. Participants receive invitation links (the server prints those of the negotiations --open creates; the API creates more: see docs/server.md).

Examples:
  truce serve
  truce serve --open cases/harbour-truce.toml
  truce serve --addr 0.0.0.0:8080 --db postgres://truce@localhost:5432/truce";

/// Arguments of `truce serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The database: sqlite://PATH (created and migrated on first start) or postgres://USER@HOST:PORT/DATABASE.
    #[arg(long, default_value = truce_server::DEFAULT_DB)]
    pub db: String,
    /// Open a negotiation of this case file at start (single text, a human mediator and parties, 20 rounds, an observer) and print its invitation links.
    #[arg(long, value_name = "CASE")]
    pub open: Option<PathBuf>,
}

/// Runs the server until interrupted (Ctrl-C).
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut open = Vec::new();
    if let Some(path) = &args.open {
        // The case is checked like any input first, so that its problems print with their lines.
        crate::error::load_valid(path, true)?;
        let case = std::fs::read_to_string(path)
            .map_err(|e| CliError::input(format!("{}: cannot read a case file: {e}", path.display())))?;
        open.push(truce_server::NewNegotiation {
            case,
            protocol: "single_text".into(),
            disclosure: "neutral".into(),
            rounds: 20,
            seats: Default::default(),
            observers: vec!["observer".into()],
            guarantors: Vec::new(),
            seed: None,
        });
    }
    let config = truce_server::Config {
        addr: args.addr,
        db: args.db.clone(),
        admin_token: std::env::var("TRUCE_ADMIN_TOKEN").ok().filter(|t| !t.is_empty()),
        open,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failure(e.into()))?;
    let mut printed: Result<(), std::io::Error> = Ok(());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let served = runtime.block_on(truce_server::serve(
        config,
        |started| {
            printed = (|| {
                writeln!(out, "truce serve: listening on http://{} (database {})", started.addr, args.db)?;
                if let Some(token) = &started.new_admin_token {
                    writeln!(
                        out,
                        "administrator token (shown once; set TRUCE_ADMIN_TOKEN to choose it): {token}"
                    )?;
                }
                for created in &started.opened {
                    writeln!(out, "negotiation {}:", created.id)?;
                    for (who, invitation) in &created.invitations {
                        writeln!(out, "  {who} ({}): {}", invitation.role, invitation.url)?;
                    }
                }
                out.flush()
            })();
        },
        shutdown,
    ));
    printed?;
    served.map_err(|e| match e {
        truce_server::ServerError::Open(_) => CliError::input(e),
        other => CliError::Failure(other.into()),
    })?;
    Ok(ExitCode::SUCCESS)
}
