//! go-plugin host: magic cookie, protocol negotiation, handshake line, AutoMTLS, the
//! GRPCController/GRPCStdio/GRPCBroker/health side services, hclog logging, debug mode, and
//! the catch-panic backstop over every service.

pub mod catch_panic;
pub mod go_plugin;
mod handshake;
pub mod logging;
mod parent_watch;
mod serve;
mod shutdown;
mod side_services;
pub mod tls;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use tokio::signal::unix::{SignalKind, signal};

pub use handshake::{
    HandshakeError, HandshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROTOCOL_VERSION,
    PluginEnv,
};
pub use serve::{ServeOptions, SocketPath, bind, serve};
pub use shutdown::Shutdown;

use crate::Provider;

/// The provider's source address, as users write it in `required_providers`.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/rustcx/genesyscloud";

const USAGE: &str = "Usage: terraform-provider-genesyscloud [--debug]\n\n\
    Terraform starts this provider itself. With --debug it runs standalone and prints the\n\
    TF_REATTACH_PROVIDERS value that points Terraform at it.";

/// Entry point of the provider binary: `new_provider` is only called once Terraform's
/// handshake checks passed (or in debug mode).
pub fn main(new_provider: impl FnOnce() -> Arc<dyn Provider>) -> ExitCode {
    let terraform = parent_watch::parent_at_start();
    let mut debug = false;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--debug" | "-debug" => debug = true,
            "-h" | "--help" | "-help" => {
                eprintln!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("Unknown argument {other:?}.\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let env = PluginEnv::from_process();
    let version = if debug {
        PROTOCOL_VERSION
    } else {
        match env.negotiate() {
            Ok(version) => version,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(1);
            }
        }
    };
    logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("Could not start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(async move {
        let provider = new_provider();
        if debug {
            run_debug(provider).await
        } else {
            run_managed(provider, env, version, terraform).await
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "provider stopped with an error");
            eprintln!("terraform-provider-genesyscloud: {error}");
            ExitCode::from(1)
        }
    }
}

/// Why serving failed.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("could not listen on a unix socket: {0}")]
    Listen(#[from] std::io::Error),
    #[error("could not set up AutoMTLS: {0}")]
    Tls(#[from] tls::TlsError),
    #[error("the gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// Launched by Terraform (the process `terraform`): handshake on stdout, AutoMTLS when
/// Terraform sent a certificate, serve until GRPCController.Shutdown, SIGTERM or Terraform's
/// exit.
async fn run_managed(
    provider: Arc<dyn Provider>,
    env: PluginEnv,
    version: u32,
    terraform: u32,
) -> Result<(), ServeError> {
    let dir = env
        .unix_socket_dir
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let socket = SocketPath::unique_in(&dir);
    let listener = bind(&socket)?;
    let (tls, server_cert) = match env.client_cert {
        Some(pem) => {
            tracing::info!("configuring server automatic mTLS");
            let auto = tls::auto_mtls(&pem)?;
            (Some(auto.config), auto.announced_cert)
        }
        None => (None, String::new()),
    };
    let line = HandshakeLine {
        protocol_version: version,
        network: "unix",
        address: socket.path().display().to_string(),
        server_cert,
    };
    let shutdown = Shutdown::default();
    watch_signals(shutdown.clone(), false);
    parent_watch::watch(terraform, shutdown.clone());
    announce(&format!("{line}\n"))?;
    tracing::debug!(network = "unix", address = %socket.path().display(), "plugin address");
    let options = ServeOptions {
        tls,
        shutdown,
        honour_controller_shutdown: true,
    };
    serve(provider, listener, options).await?;
    drop(socket);
    Ok(())
}

/// `--debug`: plaintext, prints the reattach instructions, runs until Ctrl-C (not until its
/// parent, the user's shell, exits).
async fn run_debug(provider: Arc<dyn Provider>) -> Result<(), ServeError> {
    let socket = SocketPath::unique_in(&std::env::temp_dir());
    let listener = bind(&socket)?;
    let reattach = reattach_json(&socket.path().display().to_string(), std::process::id());
    let shutdown = Shutdown::default();
    watch_signals(shutdown.clone(), true);
    announce(&format!(
        "terraform-provider-genesyscloud is running in debug mode. Terraform commands run \
         with this variable in their environment use this process instead of starting \
         their own:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n\n\
         Provider settings come from the provider block or from this process's environment. \
         Ctrl-C stops it.\n"
    ))?;
    let options = ServeOptions {
        tls: None,
        shutdown,
        honour_controller_shutdown: false,
    };
    serve(provider, listener, options).await?;
    drop(socket);
    Ok(())
}

/// The `TF_REATTACH_PROVIDERS` value pointing Terraform at a provider already listening on
/// the unix socket `path` (plaintext; `Test` so Terraform never kills it).
pub fn reattach_json(path: &str, pid: u32) -> String {
    serde_json::json!({
        PROVIDER_ADDRESS: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "unix", "String": path },
        }
    })
    .to_string()
}

/// Writes to stdout and flushes: the only output the plugin ever puts there.
fn announce(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// SIGTERM stops the plugin. SIGINT reaches every process of the terminal's group when a
/// user presses Ctrl-C; under Terraform the plugin does not stop on it, because Terraform
/// itself then asks for a graceful stop (StopProvider) and still needs the answers of running
/// operations, but its actions send no more progress (Terraform is stopping from that moment,
/// see `streams.rs`). In debug mode Ctrl-C stops the plugin.
///
/// The handlers are installed before this returns, so callers install them before announcing
/// the plugin: a signal sent as soon as the address is printed is then handled, not fatal.
fn watch_signals(shutdown: Shutdown, interrupt_stops: bool) {
    let (Ok(mut terminate), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::warn!("could not install signal handlers");
        return;
    };
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = terminate.recv() => break,
                _ = interrupt.recv() => {
                    if interrupt_stops {
                        break;
                    }
                    crate::streams::interrupted();
                    tracing::debug!(
                        "interrupt received; actions send no more progress; waiting for \
                         Terraform's StopProvider"
                    );
                }
            }
        }
        tracing::info!("signal received; shutting down");
        shutdown.trigger();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reattach_json_has_the_shape_terraform_reads() {
        let json: serde_json::Value =
            serde_json::from_str(&reattach_json("/tmp/p.sock", 42)).expect("valid JSON");
        let entry = &json[PROVIDER_ADDRESS];
        assert_eq!(entry["Protocol"], "grpc");
        assert_eq!(entry["ProtocolVersion"], 6);
        assert_eq!(entry["Pid"], 42);
        assert_eq!(entry["Test"], true);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/p.sock");
    }
}
