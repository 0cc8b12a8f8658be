//! go-plugin's handshake: the magic cookie that tells a plugin it was started by Terraform,
//! the protocol version negotiation, and the one line printed on stdout.

use std::fmt;

/// Environment variable holding Terraform's magic cookie.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The cookie value every Terraform release sends to providers.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The tfplugin major version this provider speaks.
pub const PROTOCOL_VERSION: u32 = 6;
/// go-plugin's core protocol version, the first field of the handshake line.
const CORE_PROTOCOL_VERSION: u32 = 1;

/// What Terraform tells the plugin through its environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginEnv {
    pub magic_cookie: Option<String>,
    /// `PLUGIN_PROTOCOL_VERSIONS`, e.g. `5,6`.
    pub protocol_versions: Option<String>,
    /// `PLUGIN_CLIENT_CERT`: Terraform's client certificate (PEM) when AutoMTLS is on.
    pub client_cert: Option<String>,
    /// `PLUGIN_UNIX_SOCKET_DIR`: where to create the socket (else the temp dir).
    pub unix_socket_dir: Option<String>,
}

impl PluginEnv {
    /// Reads the variables from this process's environment (empty values count as unset).
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        PluginEnv {
            magic_cookie: var(MAGIC_COOKIE_KEY),
            protocol_versions: var("PLUGIN_PROTOCOL_VERSIONS"),
            client_cert: var("PLUGIN_CLIENT_CERT"),
            unix_socket_dir: var("PLUGIN_UNIX_SOCKET_DIR"),
        }
    }

    /// Checks the cookie and picks the protocol version, or says why the plugin cannot run.
    pub fn negotiate(&self) -> Result<u32, HandshakeError> {
        if self.magic_cookie.as_deref() != Some(MAGIC_COOKIE_VALUE) {
            return Err(HandshakeError::NotLaunchedByTerraform);
        }
        let Some(offered) = &self.protocol_versions else {
            return Ok(PROTOCOL_VERSION);
        };
        let speaks_ours = offered
            .split(',')
            .any(|version| version.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
        if speaks_ours {
            Ok(PROTOCOL_VERSION)
        } else {
            Err(HandshakeError::NoCommonVersion(offered.clone()))
        }
    }
}

/// Why the plugin refuses to start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    #[error(
        "terraform-provider-genesyscloud is a Terraform plugin: Terraform starts it for you.\n\
         Use it from a Terraform configuration (`terraform init`, `plan`, `apply`); see the\n\
         README for the source address and dev_overrides for local builds.\n\
         To debug the provider, run it with --debug and follow the instructions it prints."
    )]
    NotLaunchedByTerraform,
    #[error(
        "This provider speaks Terraform plugin protocol {PROTOCOL_VERSION}, but the client \
         offered only version(s) {0}. Use Terraform 1.0 or later."
    )]
    NoCommonVersion(String),
}

/// The line go-plugin clients wait for: `1|6|unix|PATH|grpc|CERT`. `CERT` is the server
/// certificate's DER in unpadded standard base64, empty without TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeLine {
    pub protocol_version: u32,
    pub network: &'static str,
    pub address: String,
    pub server_cert: String,
}

impl fmt::Display for HandshakeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{CORE_PROTOCOL_VERSION}|{}|{}|{}|grpc|{}",
            self.protocol_version, self.network, self.address, self.server_cert
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(cookie: Option<&str>, versions: Option<&str>) -> PluginEnv {
        PluginEnv {
            magic_cookie: cookie.map(str::to_string),
            protocol_versions: versions.map(str::to_string),
            ..PluginEnv::default()
        }
    }

    #[test]
    fn a_missing_or_wrong_cookie_means_not_launched_by_terraform() {
        for cookie in [None, Some("nope")] {
            assert_eq!(
                env(cookie, Some("6")).negotiate(),
                Err(HandshakeError::NotLaunchedByTerraform)
            );
        }
        let message = HandshakeError::NotLaunchedByTerraform.to_string();
        assert!(message.contains("is a Terraform plugin"), "{message}");
    }

    #[test]
    fn version_6_is_picked_whatever_the_order() {
        for offered in ["5,6", "6,5", " 6 , 5", "6"] {
            assert_eq!(
                env(Some(MAGIC_COOKIE_VALUE), Some(offered)).negotiate(),
                Ok(6)
            );
        }
        assert_eq!(env(Some(MAGIC_COOKIE_VALUE), None).negotiate(), Ok(6));
    }

    #[test]
    fn no_common_version_is_an_error_naming_the_offer() {
        let error = env(Some(MAGIC_COOKIE_VALUE), Some("4,5"))
            .negotiate()
            .expect_err("5 is not 6");
        assert_eq!(error, HandshakeError::NoCommonVersion("4,5".to_string()));
        assert!(error.to_string().contains("4,5"));
    }

    #[test]
    fn handshake_line_has_six_fields_and_an_empty_cert_without_tls() {
        let line = HandshakeLine {
            protocol_version: 6,
            network: "unix",
            address: "/tmp/plugin1".to_string(),
            server_cert: String::new(),
        };
        assert_eq!(line.to_string(), "1|6|unix|/tmp/plugin1|grpc|");
    }
}
