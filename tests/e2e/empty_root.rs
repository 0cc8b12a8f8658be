//! The static binaries need nothing outside themselves. In a root that holds only the
//! provider binary, an `/etc/hosts` naming the emulator and an empty `/tmp` for the plugin
//! socket (a chroot, or a user namespace plus chroot when not root), the provider starts,
//! completes the go-plugin handshake, resolves the emulator's host name from that `/etc/hosts`
//! (there is no resolv.conf, nsswitch.conf, libc or NSS module in the root) and reads a wrap-up
//! code through it. The provider only speaks plain HTTP to loopback names, so the emulator is
//! reached over HTTPS through a TLS front whose test CA `SSL_CERT_FILE` names; the root has no
//! CA bundle (`/etc/ssl` does not exist). Where the static Go Terraform is on the PATH it runs an apply and destroy
//! inside the root too. The emulator binary serves from an empty root of its own.
//!
//! The binaries come from `scripts/test.d/static-root.sh` (`GENESYSCLOUD_STATIC_PROVIDER`,
//! `GENESYSCLOUD_STATIC_EMULATOR`: static debug builds, linked as the release ones are), so
//! these tests are `#[ignore]`d in a plain `cargo test`. A dynamically linked binary fails them
//! at once, saying so (the step checks that too); a machine that permits neither `chroot` nor `unshare --user` skips them, saying so.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tfplugin_framework::Block;
use tfplugin_framework::cty::{self, Type, Value};
use tfplugin_framework::host::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use tfplugin_framework::tfplugin6::provider_client::ProviderClient;
use tfplugin_framework::tfplugin6::{self as proto, DynamicValue};

use crate::support::{Emulator, PROVIDER_SOURCE, TestTls, test_tls};

/// The name the root's `/etc/hosts` gives the emulator; no DNS server knows it.
const HOST: &str = "genesys-emulator.test";
/// Where the provider binary sits inside the root (the dev_overrides directory).
const PROVIDER_IN_ROOT: &str = "/provider/terraform-provider-genesyscloud";

/// A static binary named by `var`; these tests are only run when it is given. A dynamically
/// linked one is refused here, saying so, before any root is made.
fn static_binary(var: &str) -> PathBuf {
    let path = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        panic!("set {var} to a static build (scripts/test.d/static-root.sh does)")
    });
    assert!(path.is_file(), "{var}={} is not a file", path.display());
    assert!(
        is_static_elf(&path),
        "{var}={} is dynamically linked (it names a program interpreter): the empty root has no \
         loader and no libc, so it could not start there; give a static build (crt-static)",
        path.display()
    );
    path
}

/// TLS in front of the emulator for [`HOST`], with a certificate from a test CA; serves on its
/// own runtime until dropped.
struct TlsFront {
    _runtime: tokio::runtime::Runtime,
    url: String,
    ca_pem: String,
}

fn tls_front(emulator: &Emulator) -> TlsFront {
    let backend = emulator
        .url()
        .strip_prefix("http://")
        .expect("the emulator serves plain HTTP")
        .to_string();
    let TestTls { acceptor, ca_pem } = test_tls(HOST);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the TLS front");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind the TLS front");
    let port = listener.local_addr().expect("bound address").port();
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let backend = backend.clone();
            tokio::spawn(async move {
                let (Ok(mut tls), Ok(mut plain)) = (
                    acceptor.accept(stream).await,
                    tokio::net::TcpStream::connect(&backend).await,
                ) else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    TlsFront {
        _runtime: runtime,
        url: format!("https://{HOST}:{port}"),
        ca_pem,
    }
}

/// A fresh root: `files` copied in (source, path inside the root), `/etc/hosts` naming the
/// emulator, an empty `/tmp`.
fn make_root(files: &[(&Path, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("a temp dir for the root");
    for dir in ["etc", "tmp"] {
        std::fs::create_dir_all(root.path().join(dir)).expect("create root dir");
    }
    std::fs::write(root.path().join("etc/hosts"), format!("127.0.0.1 {HOST}\n"))
        .expect("write /etc/hosts");
    for (source, inside) in files {
        let target = in_root(root.path(), inside);
        std::fs::create_dir_all(
            target
                .parent()
                .expect("a path inside the root has a parent"),
        )
        .expect("create parent dir");
        std::fs::copy(source, &target).expect("copy the binary into the root");
    }
    root
}

fn in_root(root: &Path, inside: &str) -> PathBuf {
    root.join(inside.trim_start_matches('/'))
}

/// How this machine lets us enter a root: `chroot` as root, else `chroot` inside a new user
/// namespace. Probed by running `probe` (a path inside the root, then its arguments); `None`
/// when neither is permitted. The probe's own output is returned so the caller can check it.
fn enter_root(root: &Path, probe: &[&str]) -> Option<(Vec<String>, Output)> {
    let mut refusals = Vec::new();
    let Some(chroot) = on_path("chroot") else {
        eprintln!("SKIPPED: no chroot program here, so the empty-root test cannot run");
        return None;
    };
    let chroot = chroot.to_string_lossy().into_owned();
    let mut prefixes = vec![vec![chroot.clone()]];
    if let Some(unshare) = on_path("unshare") {
        let unshare = unshare.to_string_lossy().into_owned();
        prefixes.push(vec![
            unshare,
            "--user".into(),
            "--map-root-user".into(),
            chroot,
        ]);
    }
    for prefix in prefixes {
        let output = Command::new(&prefix[0])
            .args(&prefix[1..])
            .arg(root)
            .args(probe)
            .env_clear()
            .env("CHECKPOINT_DISABLE", "1")
            .stdin(Stdio::null())
            .output();
        let output = match output {
            Ok(output) => output,
            Err(error) => {
                refusals.push(format!("{}: {error}", prefix.join(" ")));
                continue;
            }
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        // coreutils chroot exits 125 when it cannot change root itself (126/127: the command
        // inside could not be run, which is the binary's failure, not the machine's).
        let refused = output.status.code() == Some(125)
            || stderr.contains("unshare failed")
            || stderr.contains("cannot change root directory");
        if refused {
            refusals.push(format!("{}: {}", prefix.join(" "), stderr.trim()));
            continue;
        }
        return Some((prefix, output));
    }
    eprintln!(
        "SKIPPED: this machine permits neither chroot nor a user namespace, so the empty-root \
         test cannot run here: {}",
        refusals.join("; ")
    );
    None
}

/// `program` found on the PATH (or in the sbin directories, where chroot lives).
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Whether `binary` is an ELF executable without a program interpreter (statically linked).
fn is_static_elf(binary: &Path) -> bool {
    let Ok(bytes) = std::fs::read(binary) else {
        return false;
    };
    let read = |at: usize, len: usize| -> Option<u64> {
        let field = bytes.get(at..at + len)?;
        Some(
            field
                .iter()
                .rev()
                .fold(0, |acc, byte| acc << 8 | u64::from(*byte)),
        )
    };
    // ELF64, little-endian (the only target built here); PT_INTERP is program header type 3.
    if bytes.get(..6) != Some(b"\x7fELF\x02\x01") {
        return false;
    }
    let (Some(offset), Some(size), Some(count)) = (read(0x20, 8), read(0x36, 2), read(0x38, 2))
    else {
        return false;
    };
    (0..count).all(|index| {
        usize::try_from(offset + index * size)
            .ok()
            .and_then(|at| read(at, 4))
            .is_some_and(|kind| kind != 3)
    })
}

fn command_in_root(prefix: &[String], root: &Path, program: &str) -> Command {
    let mut command = Command::new(&prefix[0]);
    command
        .args(&prefix[1..])
        .arg(root)
        .arg(program)
        .env_clear();
    command
}

/// Kills the process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command` with stdout piped and returns its first line (within 20 s).
fn first_line(mut command: Command) -> (Running, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn inside the root");
    let stdout = child.stdout.take().expect("piped stdout");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let running = Running(child);
    let line = receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("a first line on stdout within 20 s");
    (running, line)
}

/// Where [`trust`] puts the test CA inside the root: not a system bundle path, so the provider
/// trusts it only through `SSL_CERT_FILE`.
const TEST_CA_IN_ROOT: &str = "/test-ca.pem";

/// Puts `front`'s CA at [`TEST_CA_IN_ROOT`]; commands in the root name it in `SSL_CERT_FILE`.
fn trust(root: &Path, front: &TlsFront) {
    std::fs::write(in_root(root, TEST_CA_IN_ROOT), &front.ca_pem).expect("write the test CA");
    assert!(
        !in_root(root, "/etc/ssl").exists(),
        "the root holds no CA bundle"
    );
}

/// An object of `block`'s type with `set` and every other attribute and block null.
fn object_of(block: &Block, set: &[(&str, &str)]) -> (Value, Type) {
    let attributes = block.attributes.iter().map(|attribute| {
        let value = set
            .iter()
            .find(|(name, _)| *name == attribute.name)
            .map_or(Value::Null, |(_, value)| Value::string(*value));
        (attribute.name.clone(), value)
    });
    let blocks = block
        .block_types
        .iter()
        .map(|nested| (nested.type_name.clone(), Value::Null));
    (Value::object(attributes.chain(blocks)), block.value_type())
}

fn dynamic_value(value: &Value, ty: &Type) -> Option<DynamicValue> {
    Some(DynamicValue {
        msgpack: cty::encode_msgpack(value, ty).expect("the test's values conform to the schema"),
        json: Vec::new(),
    })
}

/// Handshake over the socket the provider announced inside the root, then ConfigureProvider
/// pointing at the emulator by name and ReadDataSource of `code_name`; returns the code's ID.
async fn read_code_through_the_socket(
    socket: PathBuf,
    emulator_url: &str,
    client: (&str, &str),
    code_name: &str,
) -> String {
    let channel = tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let socket = socket.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
            }
        }))
        .await
        .expect("connect to the provider's socket inside the root");
    let mut provider_client = ProviderClient::new(channel);
    let schema = provider_client
        .get_provider_schema(proto::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(
        schema
            .data_source_schemas
            .contains_key("genesyscloud_routing_wrapupcode"),
        "the provider serves its schema from the root"
    );

    let provider = genesyscloud_provider::provider::new();
    let (config, config_type) = object_of(
        &provider.schema().block,
        &[
            ("api_url", emulator_url),
            ("login_url", emulator_url),
            ("oauthclient_id", client.0),
            ("oauthclient_secret", client.1),
        ],
    );
    let configured = provider_client
        .configure_provider(proto::configure_provider::Request {
            terraform_version: "1.15.5".to_string(),
            config: dynamic_value(&config, &config_type),
            client_capabilities: None,
        })
        .await
        .expect("ConfigureProvider")
        .into_inner();
    assert!(
        configured.diagnostics.is_empty(),
        "{:?}",
        configured.diagnostics
    );

    let data_source = provider
        .data_sources()
        .into_iter()
        .find(|data_source| data_source.type_name() == "genesyscloud_routing_wrapupcode")
        .expect("the wrap-up code data source is registered");
    let (lookup, lookup_type) = object_of(&data_source.schema().block, &[("name", code_name)]);
    let read = provider_client
        .read_data_source(proto::read_data_source::Request {
            type_name: "genesyscloud_routing_wrapupcode".to_string(),
            config: dynamic_value(&lookup, &lookup_type),
            ..Default::default()
        })
        .await
        .expect("ReadDataSource")
        .into_inner();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let state = read.state.expect("ReadDataSource answers with a state");
    let state = cty::decode_msgpack(&state.msgpack, &lookup_type)
        .expect("the provider answers with a value of the data source's type");
    state
        .attr_str("id")
        .expect("the data source found the code and set its id")
        .to_string()
}

#[test]
#[ignore = "needs static binaries: scripts/test.d/static-root.sh runs it"]
fn static_provider_handshakes_resolves_from_etc_hosts_and_reads_from_the_emulator() {
    let provider = static_binary("GENESYSCLOUD_STATIC_PROVIDER");
    let root = make_root(&[(&provider, PROVIDER_IN_ROOT)]);
    let Some((prefix, by_hand)) = enter_root(root.path(), &[PROVIDER_IN_ROOT]) else {
        return;
    };
    // Run by hand it explains itself; a binary that needs a loader or a library would not
    // start at all in this root (chroot exits 127).
    let stderr = String::from_utf8_lossy(&by_hand.stderr);
    assert_eq!(by_hand.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is a Terraform plugin"), "{stderr}");

    let emulator = Emulator::start();
    let front = tls_front(&emulator);
    trust(root.path(), &front);
    let code_name = "Empty root lookup";
    let (status, created) = emulator.api(
        Method::POST,
        "routing/wrapupcodes",
        Some(json!({ "name": code_name })),
    );
    assert_eq!(status, 200, "{created}");

    let mut command = command_in_root(&prefix, root.path(), PROVIDER_IN_ROOT);
    command
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("PLUGIN_UNIX_SOCKET_DIR", "/tmp")
        .env("SSL_CERT_FILE", TEST_CA_IN_ROOT);
    let (_plugin, line) = first_line(command);
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line: {line:?}");
    assert_eq!(&fields[..3], ["1", "6", "unix"], "{line:?}");
    assert!(
        fields[3].starts_with("/tmp/"),
        "socket inside the root: {line:?}"
    );
    let socket = in_root(root.path(), fields[3]);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the gRPC client");
    let id = runtime.block_on(read_code_through_the_socket(
        socket,
        &front.url,
        (emulator.client_id(), emulator.client_secret()),
        code_name,
    ));
    assert_eq!(Some(id.as_str()), created["id"].as_str());
}

#[test]
#[ignore = "needs static binaries: scripts/test.d/static-root.sh runs it"]
fn terraform_applies_and_destroys_inside_the_empty_root() {
    let provider = static_binary("GENESYSCLOUD_STATIC_PROVIDER");
    let Some(terraform) = on_path("terraform") else {
        eprintln!("SKIPPED: no `terraform` on the PATH to drive an apply inside the root");
        return;
    };
    if !is_static_elf(&terraform) {
        eprintln!(
            "SKIPPED: {} is not a static executable, so it cannot run in an empty root",
            terraform.display()
        );
        return;
    }
    let root = make_root(&[
        (&provider, PROVIDER_IN_ROOT),
        (&terraform, "/bin/terraform"),
    ]);
    let Some((prefix, version)) = enter_root(root.path(), &["/bin/terraform", "version"]) else {
        return;
    };
    assert!(
        version.status.success(),
        "a static Terraform runs in the root: {}",
        String::from_utf8_lossy(&version.stderr)
    );

    let emulator = Emulator::start();
    let front = tls_front(&emulator);
    trust(root.path(), &front);
    let url = &front.url;
    let work = in_root(root.path(), "/work");
    std::fs::create_dir_all(&work).expect("create /work");
    std::fs::write(
        work.join("cli.tfrc"),
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"/provider\"\n  }}\n  direct {{}}\n}}\n"
        ),
    )
    .expect("write the CLI config");
    std::fs::write(
        work.join("main.tf"),
        format!(
            "terraform {{\n  required_providers {{\n    genesyscloud = {{ source = \"rustcx/genesyscloud\" }}\n  }}\n}}\n\nprovider \"genesyscloud\" {{\n  api_url            = \"{url}\"\n  login_url          = \"{url}\"\n  oauthclient_id     = \"{id}\"\n  oauthclient_secret = \"{secret}\"\n}}\n\nresource \"genesyscloud_routing_wrapupcode\" \"in_root\" {{\n  name = \"Applied in an empty root\"\n}}\n",
            id = emulator.client_id(),
            secret = emulator.client_secret()
        ),
    )
    .expect("write main.tf");

    let terraform_in_root = |args: &[&str]| {
        let output = command_in_root(&prefix, root.path(), "/bin/terraform")
            .arg("-chdir=/work")
            .args(args)
            .env("TF_CLI_CONFIG_FILE", "/work/cli.tfrc")
            .env("SSL_CERT_FILE", TEST_CA_IN_ROOT)
            .env("HOME", "/work")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run terraform inside the root");
        assert!(
            output.status.success(),
            "terraform {args:?} inside the root failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let on_platform = || {
        let (status, body) = emulator.api(Method::GET, "routing/wrapupcodes?pageSize=100", None);
        assert_eq!(status, 200, "{body}");
        body["entities"]
            .as_array()
            .expect("a page of codes")
            .iter()
            .filter(|code| code["name"] == "Applied in an empty root")
            .count()
    };

    terraform_in_root(&["apply", "-auto-approve"]);
    assert_eq!(on_platform(), 1, "apply inside the root created the code");
    terraform_in_root(&["destroy", "-auto-approve"]);
    assert_eq!(on_platform(), 0, "destroy inside the root deleted it");
}

#[test]
#[ignore = "needs static binaries: scripts/test.d/static-root.sh runs it"]
fn static_emulator_serves_from_an_empty_root() {
    let emulator = static_binary("GENESYSCLOUD_STATIC_EMULATOR");
    let root = make_root(&[(&emulator, "/genesys-emulator")]);
    let Some((prefix, version)) = enter_root(root.path(), &["/genesys-emulator", "--version"])
    else {
        return;
    };
    assert!(
        version.status.success(),
        "{}",
        String::from_utf8_lossy(&version.stderr)
    );

    let mut command = command_in_root(&prefix, root.path(), "/genesys-emulator");
    command.args(["--listen", "127.0.0.1:0"]);
    let (_serving, line) = first_line(command);
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the emulator announces its address: {line:?}"))
        .to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the HTTP client");
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/oauth/token"))
            .basic_auth("emulator-client", Some("emulator-secret"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("the emulator in the root answers")
            .status()
    });
    assert_eq!(status, 200);
}
