//! go-plugin host: magic cookie, protocol negotiation, handshake line, AutoMTLS, the
//! GRPCController/GRPCStdio/GRPCBroker/health side services, hclog logging, debug mode.

/// Entry point of the provider binary.
pub fn main() -> std::process::ExitCode {
    eprintln!("This binary is a plugin. These are not meant to be executed directly.");
    std::process::ExitCode::from(1)
}
