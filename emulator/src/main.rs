//! `genesys-emulator`: serves the emulated Genesys Cloud API until interrupted, or, as
//! `genesys-emulator healthcheck`, checks that one serves.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use genesys_emulator::{EmulatorConfig, UnsetCodeDivision, healthcheck, spawn};

/// Local emulator of the Genesys Cloud Platform API (the subset the Terraform provider uses).
/// Every flag can also be set by the `GENESYS_EMULATOR_*` variable shown with it.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on; port 0 picks a free port. The container image sets 0.0.0.0:8080.
    #[arg(long, env = "GENESYS_EMULATOR_LISTEN", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// OAuth client id accepted by /oauth/token.
    #[arg(
        long,
        env = "GENESYS_EMULATOR_CLIENT_ID",
        default_value = "emulator-client"
    )]
    client_id: String,
    /// OAuth client secret.
    #[arg(
        long,
        env = "GENESYS_EMULATOR_CLIENT_SECRET",
        default_value = "emulator-secret",
        hide_env_values = true
    )]
    client_secret: String,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, env = "GENESYS_EMULATOR_TOKEN_TTL", default_value_t = 86_400)]
    token_ttl: u64,
    /// Requests per minute allowed per access token (answers 429 beyond); also the org's
    /// `client.credentials.token.rate.per.minute` limit.
    #[arg(long, env = "GENESYS_EMULATOR_RATE_LIMIT")]
    rate_limit: Option<u32>,
    /// JSON file holding the org's data: loaded at start, rewritten on every change.
    #[arg(long, env = "GENESYS_EMULATOR_STATE")]
    state: Option<PathBuf>,
    /// JSON seed file (divisions, wrap-up codes, queues, conversations; the admin API's bodies)
    /// applied at start, before the first request is served.
    #[arg(long, env = "GENESYS_EMULATOR_SEED")]
    seed: Option<PathBuf>,
    /// Let peers that are not loopback use the admin API (/__emulator/), which has no
    /// authentication: for containers, where requests arrive from the bridge network.
    #[arg(long, env = "GENESYS_EMULATOR_ADMIN_FROM_ANY_ADDRESS")]
    admin_from_any_address: bool,
    /// Where a wrap-up code created without a division goes: `home`, or `all` (`*`).
    #[arg(
        long,
        env = "GENESYS_EMULATOR_UNSET_CODE_DIVISION",
        default_value = "home",
        value_parser = ["home", "all"]
    )]
    unset_code_division: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Exit 0 when the emulator listening on --listen's port answers its health endpoint
    /// (for container healthchecks: no shell or curl needed).
    Healthcheck {
        /// How long to wait for the answer, in seconds.
        #[arg(long, default_value_t = 3)]
        timeout: u64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Healthcheck { timeout }) = args.command {
        return match healthcheck::check(args.listen, Duration::from_secs(timeout)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("genesys-emulator healthcheck: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let config = EmulatorConfig {
        client_id: args.client_id,
        client_secret: args.client_secret,
        token_ttl: Duration::from_secs(args.token_ttl),
        rate_limit_per_minute: args.rate_limit,
        state_file: args.state,
        unset_code_division: if args.unset_code_division == "all" {
            UnsetCodeDivision::All
        } else {
            UnsetCodeDivision::Home
        },
        seed_file: args.seed,
        admin_from_any_address: args.admin_from_any_address,
    };
    let running = match spawn(config, args.listen).await {
        Ok(running) => running,
        Err(e) => {
            eprintln!("genesys-emulator: cannot start on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {}", running.url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        eprintln!("genesys-emulator: cannot write to stdout");
    }
    drop(stdout);
    wait_for_signal().await;
    running.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
