//! TLS for the tests' own HTTPS servers (the release tests' network mirror, the empty-root
//! tests' front for the emulator): a fresh test CA and a server certificate it signs, which
//! clients trust through `SSL_CERT_FILE` naming the CA.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// A server's side of TLS for one host name, and the CA that vouches for it.
pub struct TestTls {
    /// Accepts TLS connections (HTTP/1.1 by ALPN) with the host's certificate.
    pub acceptor: TlsAcceptor,
    /// The test CA's certificate (PEM), for `SSL_CERT_FILE`.
    pub ca_pem: String,
}

/// A new test CA and a certificate for `host` signed by it.
pub fn test_tls(host: &str) -> TestTls {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().expect("server key");
    let cert = CertificateParams::new(vec![host.to_string()])
        .expect("server params")
        .signed_by(&key, &issuer)
        .expect("server certificate");
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
    .expect("server TLS config");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    TestTls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem: ca_cert.pem(),
    }
}
