//! A small test-only provider (one of each kind of type) and an in-process tfplugin6 server
//! with a tonic client generated from the same proto, for the protocol tests.

#![allow(dead_code)]

pub mod descriptors;
pub mod test_provider;

use std::sync::Arc;

use tfplugin_framework::cty::{self, Type, Value};
use tfplugin_framework::host::catch_panic::CatchPanicLayer;
use tfplugin_framework::tfplugin6::provider_client::ProviderClient;
use tfplugin_framework::tfplugin6::{self as proto, DynamicValue};
use tfplugin_framework::{GrpcProvider, Provider};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::{Channel, Server};

pub use test_provider::{Calls, TestProvider};

/// A running in-process server and a client connected to it.
pub struct Harness {
    pub client: ProviderClient<Channel>,
    pub calls: Arc<Calls>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Serves the test provider on a loopback port (plaintext, with the plugin's catch-panic
/// layer as in production) and connects a client.
pub async fn start() -> Harness {
    let provider = TestProvider::new();
    let calls = Arc::clone(&provider.calls);
    let (client, server) = serve(Arc::new(provider)).await;
    Harness {
        client,
        calls,
        server,
    }
}

/// Serves any provider on a loopback port as [`start`] does: a connected client, and the
/// server task (abort it to stop serving).
pub async fn serve(
    provider: Arc<dyn Provider>,
) -> (ProviderClient<Channel>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("bound address");
    let server = tokio::spawn(async move {
        let _ = Server::builder()
            .layer(CatchPanicLayer)
            .add_service(GrpcProvider::new(provider).into_service())
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await;
    });
    let client = ProviderClient::connect(format!("http://{address}"))
        .await
        .expect("connect to the in-process server");
    (client, server)
}

/// Encodes `value` as Terraform would send it (msgpack).
pub fn dv(value: &Value, ty: &Type) -> Option<DynamicValue> {
    Some(DynamicValue {
        msgpack: cty::encode_msgpack(value, ty).expect("test values conform"),
        json: Vec::new(),
    })
}

/// Decodes a value the server sent; it must be msgpack.
pub fn value_of(value: Option<&DynamicValue>, ty: &Type) -> Value {
    let value = value.expect("a value was sent");
    assert!(
        value.json.is_empty(),
        "the server always answers in msgpack"
    );
    cty::decode_msgpack(&value.msgpack, ty).expect("the server sends valid msgpack")
}

/// An identity message holding `value`.
pub fn identity(value: &Value, ty: &Type) -> Option<proto::ResourceIdentityData> {
    Some(proto::ResourceIdentityData {
        identity_data: dv(value, ty),
    })
}

/// Summaries of the error diagnostics in `diagnostics`.
pub fn errors(diagnostics: &[proto::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == proto::diagnostic::Severity::Error as i32)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

/// Asserts there is no error diagnostic.
pub fn assert_no_errors(diagnostics: &[proto::Diagnostic]) {
    let found = errors(diagnostics);
    assert!(found.is_empty(), "unexpected errors: {found:#?}");
}

/// Asserts exactly one error whose summary or detail contains `text`, and returns it.
pub fn assert_one_error<'a>(
    diagnostics: &'a [proto::Diagnostic],
    text: &str,
) -> &'a proto::Diagnostic {
    let matching: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == proto::diagnostic::Severity::Error as i32)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one error, got {diagnostics:#?}"
    );
    let found = matching[0];
    assert!(
        found.summary.contains(text) || found.detail.contains(text),
        "error does not mention {text:?}: {found:#?}"
    );
    found
}
