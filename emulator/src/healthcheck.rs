//! The `healthcheck` subcommand: one `GET /__emulator/health` to the emulator listening on the
//! same address (`--listen` / `GENESYS_EMULATOR_LISTEN`), exit 0 on 200. It lets a compose
//! `healthcheck:` run in a `FROM scratch` image, which has no shell and no curl.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

use crate::routes::health::HEALTH_PATH;

/// Why the emulator was not found healthy.
#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    /// Port 0 means "pick one", so there is nothing to call.
    #[error("cannot check {0}: port 0 names no server; pass the port the emulator listens on")]
    NoPort(SocketAddr),
    /// Nothing answered.
    #[error("no answer from {addr}: {source}")]
    Unreachable {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// Something answered, but not 200.
    #[error("{addr} answered {status_line:?} on {HEALTH_PATH}")]
    Unhealthy {
        addr: SocketAddr,
        status_line: String,
    },
}

/// Where to call an emulator listening on `listen`: the same port, on loopback when it
/// listens on every address.
pub fn target(listen: SocketAddr) -> Result<SocketAddr, HealthError> {
    if listen.port() == 0 {
        return Err(HealthError::NoPort(listen));
    }
    let mut addr = listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            Ipv4Addr::LOCALHOST.into()
        } else {
            Ipv6Addr::LOCALHOST.into()
        });
    }
    Ok(addr)
}

/// Calls the health endpoint of the emulator listening on `listen`, within `timeout`.
pub fn check(listen: SocketAddr, timeout: Duration) -> Result<(), HealthError> {
    let addr = target(listen)?;
    let unreachable = |source| HealthError::Unreachable { addr, source };
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(unreachable)?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(unreachable)?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(unreachable)?;
    write!(
        stream,
        "GET {HEALTH_PATH} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(unreachable)?;
    let mut answer = Vec::new();
    stream
        .take(16 * 1024)
        .read_to_end(&mut answer)
        .map_err(unreachable)?;
    let text = String::from_utf8_lossy(&answer);
    let status_line = text.lines().next().unwrap_or_default().to_string();
    let status = status_line.split_whitespace().nth(1);
    if status == Some("200") {
        Ok(())
    } else {
        Err(HealthError::Unhealthy { addr, status_line })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_the_listen_port_on_loopback() {
        let target = |s: &str| target(s.parse().expect("literal address"));
        assert_eq!(
            target("0.0.0.0:8080").expect("a port").to_string(),
            "127.0.0.1:8080"
        );
        assert_eq!(
            target("[::]:8080").expect("a port").to_string(),
            "[::1]:8080"
        );
        assert_eq!(
            target("10.0.0.5:9000").expect("a port").to_string(),
            "10.0.0.5:9000"
        );
        assert!(matches!(target("127.0.0.1:0"), Err(HealthError::NoPort(_))));
    }
}
