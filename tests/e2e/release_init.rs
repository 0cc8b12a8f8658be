//! `terraform init` installs the provider from a release zip, as users do, both ways the README
//! documents: a filesystem mirror (the zip as it is, in the packed layout) and a network mirror
//! served over HTTPS (the provider network mirror protocol: `index.json`, `<version>.json` with
//! the zip's `zh:` hash), trusted through `SSL_CERT_FILE` naming a test CA. Each then applies
//! against the emulator. The network mirror lists the zip's `SHA256SUMS` line as its `zh:` hash,
//! and Terraform checks the download against it (a mirror listing another hash is refused).
//! Terraform records `zh:` lines in the lock file only for packages a registry's signed
//! SHA256SUMS vouch for; from mirrors it records the `h1:` hash of the zip's content, which the
//! test computes from the packaged binary.
//!
//! The zip is what `scripts/release.sh --binaries-from` makes of the provider this test run
//! built (the release build itself is too slow for every test run; packaging is the same).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Emulator, TestTls, Workdir, test_tls};

const SOURCE: &str = "registry.terraform.io/rustcx/genesyscloud";

/// The release packaged once per test process: its directory, version and zip name.
struct Release {
    dist: tempfile::TempDir,
    version: String,
    zip: String,
}

impl Release {
    fn zip_path(&self) -> PathBuf {
        self.dist.path().join(&self.zip)
    }

    /// The zip's hex SHA-256 as `SHA256SUMS` lists it.
    fn listed_sha256(&self) -> String {
        let sums = format!(
            "terraform-provider-genesyscloud_{}_SHA256SUMS",
            self.version
        );
        let text = std::fs::read_to_string(self.dist.path().join(sums)).expect("SHA256SUMS");
        text.lines()
            .find_map(|line| line.strip_suffix(&format!("  {}", self.zip)))
            .unwrap_or_else(|| panic!("SHA256SUMS lists no {}:\n{text}", self.zip))
            .to_string()
    }
}

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let provider = crate::support::provider_binary();
        let binaries = tempfile::tempdir().expect("a dir for the binaries");
        std::fs::copy(
            &provider,
            binaries.path().join("terraform-provider-genesyscloud"),
        )
        .expect("copy the provider binary");
        let dist = tempfile::tempdir().expect("a dist dir");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let output = Command::new(root.join("scripts/release.sh"))
            .arg("--binaries-from")
            .arg(binaries.path())
            .arg("--out")
            .arg(dist.path())
            .current_dir(root)
            .output()
            .expect("run scripts/release.sh");
        assert!(
            output.status.success(),
            "release.sh failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let version = env!("CARGO_PKG_VERSION").to_string();
        let zip = format!(
            "terraform-provider-genesyscloud_{version}_{}.zip",
            terraform_platform()
        );
        assert!(dist.path().join(&zip).is_file(), "release.sh made {zip}");
        Release { dist, version, zip }
    })
}

/// Terraform's name for this platform, e.g. `linux_amd64`.
fn terraform_platform() -> String {
    let os = std::env::consts::OS;
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{os}_{arch}")
}

/// `~> MAJOR.MINOR` of the release, as users pin it.
fn constraint(version: &str) -> String {
    let minor: Vec<&str> = version.split('.').take(2).collect();
    format!("~> {}", minor.join("."))
}

fn configuration(release: &Release, emulator: &Emulator, code: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    genesyscloud = {{\n      source  = \"rustcx/genesyscloud\"\n      version = \"{}\"\n    }}\n  }}\n}}\n\n{}\nresource \"genesyscloud_routing_wrapupcode\" \"from_release\" {{\n  name = \"{code}\"\n}}\n",
        constraint(&release.version),
        emulator.provider_block()
    )
}

/// A work dir whose CLI config is `installation` (no dev_overrides), with the configuration.
fn workdir(installation: &str, release: &Release, emulator: &Emulator, code: &str) -> Workdir {
    let work = Workdir::new();
    work.file(
        ".terraformrc",
        &format!("provider_installation {{\n{installation}}}\n"),
    );
    work.file("versions.tf", "");
    work.config(&configuration(release, emulator, code));
    work
}

/// `init`, then apply and destroy against the emulator; returns the lock file.
fn init_apply_destroy(work: &Workdir, emulator: &Emulator, code: &str) -> String {
    let init = work.run(&["init", "-input=false", "-no-color"]);
    init.assert_success();
    assert!(
        init.stdout.contains(&format!(
            "Installed rustcx/genesyscloud v{}",
            release().version
        )),
        "{init}"
    );
    let on_platform = || {
        let (status, body) = emulator.api(Method::GET, "routing/wrapupcodes?pageSize=100", None);
        assert_eq!(status, 200, "{body}");
        body["entities"]
            .as_array()
            .expect("a page of codes")
            .iter()
            .filter(|c| c["name"] == code)
            .count()
    };
    work.apply();
    assert_eq!(on_platform(), 1, "the installed provider created the code");
    work.destroy();
    assert_eq!(on_platform(), 0, "and deleted it");
    std::fs::read_to_string(work.path().join(".terraform.lock.hcl")).expect("the lock file")
}

/// Terraform's `h1:` hash of the zip: over its one member (the provider binary this test
/// packaged), `base64(sha256("<sha256 hex>  <member name>\n"))`.
fn h1_of_the_zip(release: &Release) -> String {
    use base64::Engine;
    let binary = std::fs::read(crate::support::provider_binary()).expect("read the binary");
    let member = format!("terraform-provider-genesyscloud_v{}", release.version);
    let summary = format!("{}  {member}\n", hex(&sha256(&binary)));
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(sha256(summary.as_bytes()))
    )
}

/// SHA-256 through the TLS stack's own hash (aws-lc-rs), so the test needs no hash crate.
fn sha256(data: &[u8]) -> Vec<u8> {
    rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256
        .tls13()
        .expect("a TLS 1.3 suite")
        .common
        .hash_provider
        .hash(data)
        .as_ref()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[track_caller]
fn assert_locked_to_the_zip(lock: &str, release: &Release) {
    assert!(
        lock.contains(&format!("version     = \"{}\"", release.version)),
        "{lock}"
    );
    let h1 = h1_of_the_zip(release);
    assert!(
        lock.contains(&format!("\"{h1}\"")),
        "the lock file records {h1}:\n{lock}"
    );
}

#[test]
fn init_installs_the_release_zip_from_a_filesystem_mirror() {
    let release = release();
    let mirror = tempfile::tempdir().expect("a mirror dir");
    let packed = mirror.path().join(SOURCE);
    std::fs::create_dir_all(&packed).expect("create the mirror layout");
    std::fs::copy(release.zip_path(), packed.join(&release.zip)).expect("copy the zip");

    let emulator = Emulator::start();
    let code = "Installed from a filesystem mirror";
    let installation = format!(
        "  filesystem_mirror {{\n    path    = {:?}\n    include = [\"{SOURCE}\"]\n  }}\n",
        mirror.path()
    );
    let work = workdir(&installation, release, &emulator, code);
    let lock = init_apply_destroy(&work, &emulator, code);
    // From a mirror Terraform records the `h1:` hash of what it unpacked, which is the zip's
    // content; it writes `zh:` lines only for packages a registry's signed SHA256SUMS vouch for.
    assert_locked_to_the_zip(&lock, release);
    let h1 = h1_of_the_zip(release);

    // `terraform providers lock` from the same mirror, as a team on several platforms runs it
    // (one -platform per platform it uses), records the same hash.
    let lock_cmd = work.run(&[
        "providers",
        "lock",
        "-no-color",
        &format!("-fs-mirror={}", mirror.path().display()),
        &format!("-platform={}", terraform_platform()),
    ]);
    lock_cmd.assert_success();
    let relocked =
        std::fs::read_to_string(work.path().join(".terraform.lock.hcl")).expect("the lock file");
    assert!(relocked.contains(&format!("\"{h1}\"")), "{relocked}");
}

#[test]
fn init_installs_the_release_zip_from_a_network_mirror_over_https() {
    let release = release();
    let emulator = Emulator::start();
    let code = "Installed from a network mirror";
    let listed = release.listed_sha256();

    // A mirror whose `zh:` hash is not the zip's: Terraform checks the download against it and
    // refuses the package, so the hash the mirror serves (SHA256SUMS' line) is what is checked.
    let mut wrong = listed.clone().into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).expect("hex");
    let tampered = MirrorServer::start(release, &wrong);
    let work = workdir(&tampered.installation(), release, &emulator, code)
        .env("SSL_CERT_FILE", &tampered.ca_file.to_string_lossy());
    let refused = work.run(&["init", "-input=false", "-no-color"]);
    assert!(!refused.success(), "{refused}");
    assert!(
        refused.stderr.contains("checksum") || refused.stderr.contains("hash"),
        "{refused}"
    );

    let server = MirrorServer::start(release, &listed);
    let work = workdir(&server.installation(), release, &emulator, code)
        .env("SSL_CERT_FILE", &server.ca_file.to_string_lossy());
    let lock = init_apply_destroy(&work, &emulator, code);
    assert_locked_to_the_zip(&lock, release);

    let requested = server.requested.lock().expect("the request log").clone();
    let base = format!("/{SOURCE}");
    for path in [
        format!("{base}/index.json"),
        format!("{base}/{}.json", release.version),
        format!("{base}/{}", release.zip),
    ] {
        assert!(
            requested.contains(&path),
            "Terraform fetched {path}: {requested:?}"
        );
    }
}

/// A provider network mirror over HTTPS with a certificate from its own test CA: serves
/// `index.json`, `<version>.json` and the zip from memory, recording the paths asked for.
struct MirrorServer {
    _runtime: tokio::runtime::Runtime,
    _ca_dir: tempfile::TempDir,
    url: String,
    ca_file: PathBuf,
    requested: Arc<Mutex<Vec<String>>>,
}

impl MirrorServer {
    /// The CLI config's `provider_installation` body using this mirror.
    fn installation(&self) -> String {
        format!(
            "  network_mirror {{\n    url     = \"{}\"\n    include = [\"{SOURCE}\"]\n  }}\n",
            self.url
        )
    }

    /// Serves the release with `zh_hash` (hex) as the zip's listed hash.
    fn start(release: &Release, zh_hash: &str) -> MirrorServer {
        let TestTls { acceptor, ca_pem } = test_tls("localhost");
        let ca_dir = tempfile::tempdir().expect("a dir for the CA");
        let ca_file = ca_dir.path().join("ca.pem");
        std::fs::File::create(&ca_file)
            .and_then(|mut f| f.write_all(ca_pem.as_bytes()))
            .expect("write the CA");

        let base = format!("/{SOURCE}");
        let zip = std::fs::read(release.zip_path()).expect("read the zip");
        let files: Arc<Vec<(String, Vec<u8>)>> = Arc::new(vec![
            (
                format!("{base}/index.json"),
                serde_json::json!({ "versions": { release.version.clone(): {} } })
                    .to_string()
                    .into_bytes(),
            ),
            (
                format!("{base}/{}.json", release.version),
                serde_json::json!({ "archives": { terraform_platform(): {
                    "url": release.zip,
                    "hashes": [format!("zh:{zh_hash}")],
                }}})
                .to_string()
                .into_bytes(),
            ),
            (format!("{base}/{}", release.zip), zip),
        ]);
        let requested = Arc::new(Mutex::new(Vec::new()));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the mirror");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind the mirror");
        let port = listener.local_addr().expect("bound address").port();
        let log = requested.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, files, log) = (acceptor.clone(), files.clone(), log.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                        if tls.read_exact(&mut byte).await.is_err() {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let mut lines = BufReader::new(&head[..]).lines();
                    let request_line = lines.next().and_then(Result::ok).unwrap_or_default();
                    let path = request_line
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    log.lock().expect("the request log").push(path.clone());
                    let (status, body) = match files.iter().find(|(p, _)| *p == path) {
                        Some((_, body)) => ("200 OK", body.clone()),
                        None => ("404 Not Found", b"not found".to_vec()),
                    };
                    // Terraform refuses mirror JSON served under another content type.
                    let content_type = if path.ends_with(".json") {
                        "application/json"
                    } else {
                        "application/zip"
                    };
                    let header = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = tls.write_all(header.as_bytes()).await;
                    let _ = tls.write_all(&body).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        MirrorServer {
            _runtime: runtime,
            _ca_dir: ca_dir,
            url: format!("https://localhost:{port}/"),
            ca_file,
            requested,
        }
    }
}
