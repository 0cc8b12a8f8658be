//! The certificate authorities the client trusts: `SSL_CERT_FILE` / `SSL_CERT_DIR` when set,
//! else the system's store, else Mozilla's roots compiled into the binary. A machine without
//! any CA bundle (a `FROM scratch` image, an empty root) still gets a working client, so plain
//! `http` to the emulator never fails for lack of certificates and `https` to the platform
//! still verifies.

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;

/// Where the trusted roots came from, for the debug log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RootsSource {
    /// The files `SSL_CERT_FILE` / `SSL_CERT_DIR` name.
    Environment,
    /// The operating system's CA store (on Linux, the usual bundle paths).
    System,
    /// Mozilla's roots from `webpki-root-certs`, compiled in.
    Compiled,
}

/// The roots to trust and where they came from.
pub(crate) struct TrustRoots {
    pub(crate) certificates: Vec<reqwest::Certificate>,
    pub(crate) source: RootsSource,
    /// Why the environment's or system's roots were not used, when they were not.
    pub(crate) fallback_reason: Option<String>,
}

/// Loads the roots as described in the module docs; never fails.
pub(crate) fn trust_roots() -> TrustRoots {
    let from_environment = ["SSL_CERT_FILE", "SSL_CERT_DIR"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    let loaded = rustls_native_certs::load_native_certs();
    let problems: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
    let source = if from_environment {
        RootsSource::Environment
    } else {
        RootsSource::System
    };
    choose_roots(loaded.certs, source, &problems)
}

/// Keeps the loaded certificates that parse as trust anchors; with none left, the compiled-in
/// roots, saying why.
fn choose_roots(
    loaded: Vec<CertificateDer<'static>>,
    source: RootsSource,
    problems: &[String],
) -> TrustRoots {
    let usable = usable_anchors(loaded);
    if !usable.is_empty() {
        return TrustRoots {
            certificates: usable,
            source,
            fallback_reason: None,
        };
    }
    let mut reason = match source {
        RootsSource::Environment => "SSL_CERT_FILE / SSL_CERT_DIR held no usable certificate",
        _ => "the system has no CA certificates",
    }
    .to_string();
    if !problems.is_empty() {
        reason.push_str(&format!(" ({})", problems.join("; ")));
    }
    TrustRoots {
        certificates: usable_anchors(webpki_root_certs::TLS_SERVER_ROOT_CERTS.to_vec()),
        source: RootsSource::Compiled,
        fallback_reason: Some(reason),
    }
}

/// The certificates rustls accepts as trust anchors, as reqwest certificates; a malformed
/// entry in a bundle is skipped rather than failing the whole client.
fn usable_anchors(certificates: Vec<CertificateDer<'_>>) -> Vec<reqwest::Certificate> {
    certificates
        .into_iter()
        .filter(|der| RootCertStore::empty().add(der.clone()).is_ok())
        .filter_map(|der| reqwest::Certificate::from_der(der.as_ref()).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_ca() -> CertificateDer<'static> {
        // The first compiled-in root stands in for a certificate read from a bundle.
        webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].clone()
    }

    #[test]
    fn loaded_certificates_are_used_when_there_are_any() {
        let roots = choose_roots(vec![test_ca()], RootsSource::System, &[]);
        assert_eq!(roots.source, RootsSource::System);
        assert_eq!(roots.certificates.len(), 1);
        assert_eq!(roots.fallback_reason, None);
    }

    #[test]
    fn no_system_certificates_falls_back_to_the_compiled_roots() {
        let roots = choose_roots(Vec::new(), RootsSource::System, &[]);
        assert_eq!(roots.source, RootsSource::Compiled);
        assert_eq!(
            roots.certificates.len(),
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.len()
        );
        assert!(roots.certificates.len() > 100, "Mozilla's program has >100");
        assert_eq!(
            roots.fallback_reason.as_deref(),
            Some("the system has no CA certificates")
        );
    }

    #[test]
    fn an_unusable_cert_file_falls_back_and_says_why() {
        let garbage = CertificateDer::from(b"not a certificate".to_vec());
        let roots = choose_roots(
            vec![garbage],
            RootsSource::Environment,
            &["failed to open /nowhere".to_string()],
        );
        assert_eq!(roots.source, RootsSource::Compiled);
        let reason = roots.fallback_reason.expect("a reason");
        assert!(reason.contains("SSL_CERT_FILE"), "{reason}");
        assert!(reason.contains("/nowhere"), "{reason}");
    }

    #[test]
    fn a_malformed_entry_is_skipped_and_the_rest_kept() {
        let garbage = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        let roots = choose_roots(vec![garbage, test_ca()], RootsSource::System, &[]);
        assert_eq!(roots.source, RootsSource::System);
        assert_eq!(roots.certificates.len(), 1);
    }
}
