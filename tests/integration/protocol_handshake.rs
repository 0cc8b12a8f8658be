//! The provider binary as Terraform starts it: magic cookie, version negotiation, the
//! handshake line, AutoMTLS with Terraform's P-521 client certificate, the side services,
//! and a prompt exit on GRPCController.Shutdown or SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tfplugin_framework::host::go_plugin::Empty;
use tfplugin_framework::host::go_plugin::grpc_controller_client::GrpcControllerClient;
use tfplugin_framework::host::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use tfplugin_framework::tfplugin6::get_provider_schema;
use tfplugin_framework::tfplugin6::provider_client::ProviderClient;
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus};

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-genesyscloud");

/// A client certificate shaped like Terraform's: self-signed ECDSA P-521/SHA-512 CA.
struct ClientCert {
    pem: String,
    der: CertificateDer<'static>,
    key: Vec<u8>,
}

fn terraform_like_client_cert() -> ClientCert {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("self-signed");
    ClientCert {
        pem: cert.pem(),
        der: cert.der().clone(),
        key: key.serialize_der(),
    }
}

/// A launched provider process; killed if the test ends early.
struct Plugin {
    child: Child,
    socket_dir: tempfile::TempDir,
    stdout_rest: Option<std::thread::JoinHandle<String>>,
}

impl Plugin {
    /// Everything the process printed on stdout after the handshake line (call after exit).
    fn stdout_after_handshake(&mut self) -> String {
        self.stdout_rest
            .take()
            .expect("read once")
            .join()
            .expect("stdout reader")
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn launch(env: &[(&str, &str)]) -> (Plugin, Vec<String>) {
    let socket_dir = tempfile::tempdir().expect("socket dir");
    let mut command = Command::new(BINARY);
    command
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_UNIX_SOCKET_DIR", socket_dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("start the provider binary");
    let stdout = child.stdout.take().expect("piped stdout");
    let (sender, receiver) = std::sync::mpsc::channel();
    let stdout_rest = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = sender.send(line);
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        rest
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("handshake line within 20 s");
    assert!(
        line.ends_with('\n'),
        "handshake line is newline-terminated: {line:?}"
    );
    let fields = line.trim_end().split('|').map(str::to_string).collect();
    (
        Plugin {
            child,
            socket_dir,
            stdout_rest: Some(stdout_rest),
        },
        fields,
    )
}

/// Polls for the process to exit. Async, so this test's own client connection keeps
/// answering the server's graceful-shutdown handshake (GOAWAY/PING) meanwhile.
async fn wait_for_exit(plugin: &mut Plugin, within: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = plugin.child.try_wait().expect("poll the child") {
            return status;
        }
        assert!(
            start.elapsed() < within,
            "provider still running after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Trusts exactly the server certificate announced in the handshake, as go-plugin does.
#[derive(Debug)]
struct PinnedServer {
    der: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        assert_eq!(server_name.to_str(), "localhost");
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the announced certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A gRPC channel over the unix socket, with mTLS when `tls` is given.
async fn channel(
    path: PathBuf,
    tls: Option<(Vec<u8>, Option<&ClientCert>)>,
) -> Result<Channel, tonic::transport::Error> {
    let connector = tls.map(|(server_der, client)| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier = Arc::new(PinnedServer {
            der: server_der,
            algorithms: provider.signature_verification_algorithms,
        });
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let mut config = match client {
            Some(client) => builder
                .with_client_auth_cert(
                    vec![client.der.clone()],
                    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(client.key.clone())),
                )
                .expect("client auth"),
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        tokio_rustls::TlsConnector::from(Arc::new(config))
    });
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let path = path.clone();
            let connector = connector.clone();
            async move {
                let stream = UnixStream::connect(path).await?;
                let io: Box<dyn Io> = match connector {
                    Some(connector) => {
                        let name = ServerName::try_from("localhost").expect("valid name");
                        Box::new(connector.connect(name, stream).await?)
                    }
                    None => Box::new(stream),
                };
                Ok::<_, std::io::Error>(TokioIo::new(io))
            }
        }))
        .await
}

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> Io for T {}

fn check_handshake_fields(fields: &[String], dir: &Path) -> PathBuf {
    assert_eq!(fields.len(), 6, "{fields:?}");
    assert_eq!(fields[0], "1", "core protocol version");
    assert_eq!(fields[1], "6", "tfplugin major version");
    assert_eq!(fields[2], "unix");
    assert_eq!(fields[4], "grpc");
    let path = PathBuf::from(&fields[3]);
    assert!(
        path.starts_with(dir),
        "socket in PLUGIN_UNIX_SOCKET_DIR: {path:?}"
    );
    assert!(path.exists(), "socket exists while serving");
    path
}

#[tokio::test]
async fn mtls_handshake_serves_schema_and_health_then_exits_promptly_on_shutdown() {
    let client_cert = terraform_like_client_cert();
    let (mut plugin, fields) = launch(&[("PLUGIN_CLIENT_CERT", &client_cert.pem)]);
    let path = check_handshake_fields(&fields, plugin.socket_dir.path());
    assert!(fields[5].len() > 50, "a certificate is announced");
    assert!(!fields[5].contains('='), "unpadded base64");
    let server_der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&fields[5])
        .expect("standard base64 without padding");

    let channel = channel(path.clone(), Some((server_der, Some(&client_cert))))
        .await
        .expect("mTLS connection with Terraform's certificate");
    let schema = ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema over mTLS")
        .into_inner();
    let provider = schema
        .provider
        .and_then(|p| p.block)
        .expect("provider schema");
    assert!(
        provider
            .attributes
            .iter()
            .any(|a| a.name == "oauthclient_secret" && a.sensitive)
    );
    assert!(
        schema
            .resource_schemas
            .contains_key("genesyscloud_routing_wrapupcode")
    );

    let health = HealthClient::new(channel.clone())
        .check(HealthCheckRequest {
            service: "plugin".to_string(),
        })
        .await
        .expect("grpc.health.v1 Check")
        .into_inner();
    assert_eq!(health.status, ServingStatus::Serving as i32);

    let asked = Instant::now();
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("GRPCController.Shutdown");
    let status = wait_for_exit(&mut plugin, Duration::from_secs(1)).await;
    assert!(status.success(), "{status:?}");
    assert!(asked.elapsed() < Duration::from_secs(1));
    assert!(!path.exists(), "socket removed on exit");
    // Anything after the handshake line would corrupt go-plugin's protocol.
    assert_eq!(plugin.stdout_after_handshake(), "");
}

#[tokio::test]
async fn clients_without_terraforms_certificate_are_refused() {
    let client_cert = terraform_like_client_cert();
    let (plugin, fields) = launch(&[("PLUGIN_CLIENT_CERT", &client_cert.pem)]);
    let path = check_handshake_fields(&fields, plugin.socket_dir.path());
    let server_der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&fields[5])
        .expect("base64");

    let stranger = terraform_like_client_cert();
    for client in [Some(&stranger), None] {
        let outcome = async {
            let channel = channel(path.clone(), Some((server_der.clone(), client))).await?;
            ProviderClient::new(channel)
                .get_provider_schema(get_provider_schema::Request {})
                .await
                .map_err(|status| -> Box<dyn std::error::Error> { Box::new(status) })?;
            Ok::<_, Box<dyn std::error::Error>>(())
        }
        .await;
        assert!(
            outcome.is_err(),
            "a client with {:?} certificate got through",
            client.map(|_| "another")
        );
    }
    let plaintext = async {
        let channel = channel(path.clone(), None).await?;
        ProviderClient::new(channel)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .map_err(|status| -> Box<dyn std::error::Error> { Box::new(status) })?;
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    assert!(plaintext.is_err(), "plaintext must not reach a TLS server");
}

#[tokio::test]
async fn without_a_client_certificate_it_serves_plaintext_and_stops_on_sigterm() {
    let (mut plugin, fields) = launch(&[]);
    let path = check_handshake_fields(&fields, plugin.socket_dir.path());
    assert_eq!(fields[5], "", "no TLS, no certificate");
    let channel = channel(path.clone(), None)
        .await
        .expect("plaintext connection");
    let schema = ProviderClient::new(channel)
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(schema.server_capabilities.is_some_and(|c| c.plan_destroy));

    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(plugin.child.id().to_string())
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = wait_for_exit(&mut plugin, Duration::from_secs(2)).await;
    assert!(status.success(), "{status:?}");
    assert!(!path.exists(), "socket removed on exit");
    assert_eq!(plugin.stdout_after_handshake(), "");
}

fn run_by_hand(env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(BINARY);
    command
        .env_remove(MAGIC_COOKIE_KEY)
        .env_remove("PLUGIN_PROTOCOL_VERSIONS")
        .stdin(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run the provider binary")
}

#[test]
fn running_without_the_cookie_prints_the_plugin_message_and_exits_1() {
    for env in [&[][..], &[(MAGIC_COOKIE_KEY, "wrong")][..]] {
        let output = run_by_hand(env);
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty(), "nothing on stdout");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("is a Terraform plugin"), "{stderr}");
    }
}

#[test]
fn no_common_protocol_version_is_reported_and_fails() {
    let output = run_by_hand(&[
        (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
        ("PLUGIN_PROTOCOL_VERSIONS", "4,5"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no handshake line");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("protocol 6") && stderr.contains("4,5"),
        "{stderr}"
    );
}
