//! Serving the provider and the side services on a unix socket, with or without TLS, until
//! shutdown.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Server;
use tonic::transport::server::Connected;

use super::catch_panic::CatchPanicLayer;
use super::go_plugin::grpc_broker_server::GrpcBrokerServer;
use super::go_plugin::grpc_controller_server::GrpcControllerServer;
use super::go_plugin::grpc_stdio_server::GrpcStdioServer;
use super::shutdown::Shutdown;
use super::side_services::{Broker, Controller, Stdio};
use crate::{GrpcProvider, Provider};

/// How long in-flight calls, and writes whose caller went away, may take to finish once
/// shutdown starts. Terraform (go-plugin's `Client.Kill`) waits 2 s after
/// GRPCController.Shutdown before it kills the process, so this stays below that.
const GRACE: Duration = Duration::from_millis(1800);
/// How long a client may take to complete the TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A unix socket path that is removed when dropped.
pub struct SocketPath(PathBuf);

impl SocketPath {
    /// A fresh, unused socket path in `dir`.
    pub fn unique_in(dir: &Path) -> Self {
        let name = format!(
            "plugin-genesyscloud-{}-{:016x}.sock",
            std::process::id(),
            fastrand::u64(..)
        );
        SocketPath(dir.join(name))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for SocketPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Binds a listener at `socket`, readable and writable by this user only.
pub fn bind(socket: &SocketPath) -> io::Result<UnixListener> {
    let listener = UnixListener::bind(socket.path())?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(socket.path(), std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// What to serve and how.
pub struct ServeOptions {
    pub tls: Option<Arc<rustls::ServerConfig>>,
    pub shutdown: Shutdown,
    /// Whether GRPCController.Shutdown stops the process (not in debug mode).
    pub honour_controller_shutdown: bool,
}

/// Serves every service on `listener` until the shutdown fires, then gives in-flight calls
/// [`GRACE`] to finish.
pub async fn serve(
    provider: Arc<dyn Provider>,
    listener: UnixListener,
    options: ServeOptions,
) -> Result<(), tonic::transport::Error> {
    let shutdown = options.shutdown;
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    let incoming = accept_loop(
        listener,
        options.tls.map(TlsAcceptor::from),
        shutdown.clone(),
    );
    let router = Server::builder()
        .layer(CatchPanicLayer)
        .add_service(GrpcProvider::new(provider).into_service())
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
            honour_shutdown: options.honour_controller_shutdown,
        }))
        .add_service(GrpcStdioServer::new(Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcBrokerServer::new(Broker {
            shutdown: shutdown.clone(),
        }))
        .add_service(health_service);
    let served = router.serve_with_incoming_shutdown(incoming, shutdown.wait());
    let started = Arc::new(std::sync::OnceLock::new());
    let deadline = {
        let stop = shutdown.wait();
        let started = Arc::clone(&started);
        async move {
            stop.await;
            let deadline = *started.get_or_init(tokio::time::Instant::now) + GRACE;
            tokio::time::sleep_until(deadline).await;
        }
    };
    let result = tokio::select! {
        result = served => result,
        () = deadline => {
            tracing::debug!("in-flight calls did not finish in time; exiting anyway");
            Ok(())
        }
    };
    // A write whose call Terraform cancelled runs on in its own task: let it finish too.
    let deadline = *started.get_or_init(tokio::time::Instant::now) + GRACE;
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    let running = crate::writes_finished(left).await;
    if running > 0 {
        tracing::warn!(running, "exiting with writes still running");
    }
    result
}

/// Accepts connections, completing TLS handshakes off the accept path; refused clients are
/// logged and dropped.
fn accept_loop(
    listener: UnixListener,
    tls: Option<TlsAcceptor>,
    shutdown: Shutdown,
) -> ReceiverStream<io::Result<Connection>> {
    let (connections, receiver) = mpsc::channel(8);
    tokio::spawn(async move {
        let stop = shutdown.wait();
        tokio::pin!(stop);
        loop {
            let accepted = tokio::select! {
                () = &mut stop => return,
                accepted = listener.accept() => accepted,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    continue;
                }
            };
            let Some(acceptor) = tls.clone() else {
                if connections
                    .send(Ok(Connection::Plain(stream)))
                    .await
                    .is_err()
                {
                    return;
                }
                continue;
            };
            let connections = connections.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(tls)) => {
                        let _ = connections.send(Ok(Connection::Tls(Box::new(tls)))).await;
                    }
                    Ok(Err(error)) => {
                        tracing::warn!(%error, "refused a client: TLS handshake failed")
                    }
                    Err(_) => tracing::warn!("refused a client: TLS handshake timed out"),
                }
            });
        }
    });
    ReceiverStream::new(receiver)
}

/// One accepted client connection.
pub enum Connection {
    Plain(UnixStream),
    Tls(Box<TlsStream<UnixStream>>),
}

impl Connected for Connection {
    type ConnectInfo = ();

    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Connection::Plain(stream) => stream.is_write_vectored(),
            Connection::Tls(stream) => stream.is_write_vectored(),
        }
    }
}
