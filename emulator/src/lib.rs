//! A local emulator of the Genesys Cloud Platform API v2 subset the provider uses: OAuth
//! client credentials, wrap-up codes, divisions, queue wrap-up codes and conversation
//! wrap-ups, plus an admin API (`/__emulator/`) for seeding data and injecting faults.
//!
//! Start it in-process with [`spawn`] or as the `genesys-emulator` binary; talk to it over HTTP
//! only (tests use the admin API, never in-process state).

mod admin_guard;
mod analytics;
mod app;
mod auth;
mod clock;
mod conn;
mod counter;
mod error;
mod extract;
mod faults;
pub mod healthcheck;
mod media;
mod paging;
mod rate_limit;
mod routes;
pub mod seed_file;
mod state;
mod store;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use analytics::query::{MAX_INTERVAL_DAYS, MAX_QUERY_PAGE_SIZE, MAX_QUERY_RESULTS};
pub use paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use routes::analytics::MAX_MULTI_GET_IDS;
pub use routes::wrapup_codes::MAX_NAME_CHARS;
pub use store::{CodeDivision, HOME_DIVISION_ID, SALES_DIVISION_ID};

/// How the emulator is configured: its one OAuth client, token lifetime, optional rate
/// limit and optional state file.
#[derive(Clone)]
pub struct EmulatorConfig {
    /// The OAuth client id accepted by `/oauth/token`.
    pub client_id: String,
    /// That client's secret.
    pub client_secret: String,
    /// Lifetime of issued tokens (`expires_in`).
    pub token_ttl: Duration,
    /// Requests per minute allowed per access token on `/api/v2` (also served as the org's
    /// `client.credentials.token.rate.per.minute`); `None` = unlimited.
    pub rate_limit_per_minute: Option<u32>,
    /// Where to load the org's data from at start and write it to on every change.
    pub state_file: Option<PathBuf>,
    /// Where a wrap-up code created without a division goes.
    pub unset_code_division: UnsetCodeDivision,
    /// A seed file ([`seed_file`]) applied through the admin API before the first request.
    pub seed_file: Option<PathBuf>,
    /// Let the unauthenticated admin API answer peers that are not loopback (inside a
    /// container, requests arrive from the bridge network).
    pub admin_from_any_address: bool,
}

/// Where the org puts a wrap-up code created without a division. The platform's choice is not
/// documented (see README, "Assumptions"): the home division by default, or `*` (all
/// divisions), which the official provider's schema names for an unset `division_id`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnsetCodeDivision {
    #[default]
    Home,
    All,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            client_id: "emulator-client".into(),
            client_secret: "emulator-secret".into(),
            token_ttl: Duration::from_secs(86_400),
            rate_limit_per_minute: None,
            state_file: None,
            unset_code_division: UnsetCodeDivision::Home,
            seed_file: None,
            admin_from_any_address: false,
        }
    }
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_ttl", &self.token_ttl)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("unset_code_division", &self.unset_code_division)
            .field("state_file", &self.state_file)
            .field("seed_file", &self.seed_file)
            .field("admin_from_any_address", &self.admin_from_any_address)
            .finish()
    }
}

/// A running emulator. Dropping it stops the server too.
pub struct RunningEmulator {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningEmulator {
    /// Base URL serving both the API and the login host, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets in-flight requests finish (at most 5 s), then returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Why the emulator did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address could not be bound, or the state file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The seed file could not be read or one of its entries was refused.
    #[error(transparent)]
    Seed(#[from] seed_file::SeedError),
}

/// Binds `addr` (port 0 picks a free port), applies the seed file if one is configured, and
/// serves the emulator on the current Tokio runtime. Fails if the address cannot be bound, the
/// state file cannot be read or the seed file is refused.
pub async fn spawn(
    config: EmulatorConfig,
    addr: SocketAddr,
) -> Result<RunningEmulator, StartError> {
    let seed = config.seed_file.clone();
    let state = state::AppState::new(config)?;
    let listener = TcpListener::bind(addr).await?;
    let mut local = listener.local_addr()?;
    if local.ip().is_unspecified() {
        local.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    let app = app::router(state);
    if let Some(path) = seed {
        seed_file::apply(&app, &path).await?;
    }
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(
            conn::KillableListener::new(listener),
            app.into_make_service_with_connect_info::<conn::ConnInfo>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
    });
    Ok(RunningEmulator {
        addr: local,
        stop: Some(stop),
        task: Some(task),
    })
}
