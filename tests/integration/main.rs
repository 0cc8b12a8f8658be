//! In-process and protocol-level suites, no Terraform CLI: the tfplugin6 server and handshake,
//! the API client against the in-process emulator, and the cty codec properties. One test
//! binary, one module per suite; run one suite with `cargo test --test integration client_api::`.

mod client_support;
mod protocol_support;

mod client_api;
mod client_budget;
mod client_resilience;
mod client_stop;
mod cty_props;
mod protocol_descriptor;
mod protocol_handshake;
mod protocol_panics;
mod protocol_planned_private;
mod protocol_server;
