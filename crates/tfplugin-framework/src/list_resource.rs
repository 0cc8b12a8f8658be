use async_trait::async_trait;
use tokio::sync::mpsc;

use super::{CancellationToken, Diagnostics, Schema};
use crate::cty::Value;

/// Input to [`ListResource::list`].
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// The `config {}` block's value.
    pub config: Value,
    /// When true, each event should carry the full resource object.
    pub include_resource: bool,
    /// Maximum number of results Terraform will read.
    pub limit: i64,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// One result of a list: identity is mandatory; `resource_object` is the managed resource's
/// state, encoded by the server against the managed resource's schema.
#[derive(Debug, Clone)]
pub struct ListEvent {
    pub identity: Value,
    pub display_name: String,
    pub resource_object: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// Where a list resource streams its results.
#[derive(Debug, Clone)]
pub struct ListSink(pub mpsc::Sender<ListEvent>);

impl ListSink {
    /// Sends one event; returns false once Terraform stopped listening (limit reached).
    pub async fn send(&self, event: ListEvent) -> bool {
        self.0.send(event).await.is_ok()
    }
}

/// A list resource (`terraform query`). Its type name equals a managed resource type with an
/// identity schema. One implementation per type, in `src/list/`.
#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    /// Schema of the `config {}` block only.
    fn config_schema(&self) -> Schema;
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Streams results into `sink`; returned diagnostics end the stream (errors stop Terraform).
    async fn list(&self, request: ListRequest, sink: ListSink) -> Diagnostics;
}
