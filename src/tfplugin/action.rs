use async_trait::async_trait;
use tokio::sync::mpsc;

use super::{Diagnostics, Schema};
use crate::cty::Value;

/// Input to [`Action::plan`] and [`Action::invoke`].
#[derive(Debug, Clone)]
pub struct ActionRequest {
    /// The action's `config {}` value (may contain unknowns at plan time).
    pub config: Value,
}

/// Where an invoked action sends progress messages shown by Terraform.
#[derive(Debug, Clone)]
pub struct ProgressSink(pub mpsc::Sender<String>);

impl ProgressSink {
    /// Sends one progress message; ignored if Terraform stopped listening.
    pub async fn progress(&self, message: impl Into<String>) {
        let _ = self.0.send(message.into()).await;
    }
}

/// A Terraform action (Terraform 1.14+). One implementation per type, in `src/actions/`.
#[async_trait]
pub trait Action: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Checks the action can run, during `plan`.
    async fn plan(&self, _request: ActionRequest) -> Diagnostics {
        Diagnostics::default()
    }
    /// Runs the action, sending progress; the returned diagnostics complete it.
    async fn invoke(&self, request: ActionRequest, progress: ProgressSink) -> Diagnostics;
}
