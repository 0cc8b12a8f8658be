//! Who may use the unauthenticated admin API (`/__emulator/`): loopback peers, and any peer
//! only when the emulator was started with `--admin-from-any-address` (inside a container,
//! where seed requests arrive from the bridge network).

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::conn::ConnInfo;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether a peer may use the admin API: loopback peers, any known peer when `any_address`,
/// and never an unknown one.
fn admin_peer_allowed(peer: Option<std::net::SocketAddr>, any_address: bool) -> bool {
    peer.is_some_and(|p| any_address || p.ip().is_loopback() || p.ip().to_canonical().is_loopback())
}

/// Middleware on the admin routes: 403 with the platform's error body for other peers.
pub async fn enforce(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<ConnInfo>>()
        .map(|ConnectInfo(c)| c.peer);
    if !admin_peer_allowed(peer, state.config().admin_from_any_address) {
        return Err(ApiError::forbidden(
            "The emulator's admin API only answers loopback clients; start it with \
             --admin-from-any-address (GENESYS_EMULATOR_ADMIN_FROM_ANY_ADDRESS=true) to allow others.",
        ));
    }
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(s: &str) -> Option<std::net::SocketAddr> {
        Some(s.parse().expect("literal socket address"))
    }

    #[test]
    fn only_loopback_peers_may_use_the_admin_api_by_default() {
        assert!(admin_peer_allowed(peer("127.0.0.1:5000"), false));
        assert!(admin_peer_allowed(peer("[::1]:5000"), false));
        assert!(admin_peer_allowed(peer("[::ffff:127.0.0.1]:5000"), false));
        assert!(!admin_peer_allowed(peer("192.0.2.7:5000"), false));
        assert!(!admin_peer_allowed(peer("[fd00::2]:5000"), false));
        assert!(!admin_peer_allowed(None, false));
    }

    #[test]
    fn any_known_peer_may_when_the_flag_says_so() {
        assert!(admin_peer_allowed(peer("10.88.0.1:5000"), true));
        assert!(admin_peer_allowed(peer("[fd00::2]:5000"), true));
        assert!(!admin_peer_allowed(None, true));
    }
}
