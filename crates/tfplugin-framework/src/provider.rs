use std::sync::Arc;

use async_trait::async_trait;

use super::{
    Action, CancellationToken, DataSource, Diagnostics, ListResource, Resource, Schema, Workload,
};
use crate::cty::Value;

/// What `ConfigureProvider` carries.
#[derive(Debug, Clone)]
pub struct ConfigureRequest {
    pub terraform_version: String,
    /// The provider block's value (object of the provider schema; may contain unknowns).
    pub config: Value,
    /// Whether this Terraform accepts deferred answers (`ClientCapabilities.deferral_allowed`;
    /// false on release builds of Terraform 1.15, which refuse `-allow-deferral`).
    pub deferral_allowed: bool,
    /// The RPCs this process is serving, for code that paces itself by what Terraform runs
    /// (e.g. a bulk read waiting for the operations running beside it).
    pub workload: Workload,
    /// Fired by a StopProvider that comes while the configured provider works: a handle
    /// built here (an API client) may keep it, so its waits end on a stop.
    pub cancel: CancellationToken,
}

/// Why Terraform should postpone a type's work to a later plan (tfplugin6 `Deferred.Reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeferredReason {
    /// The type's own configuration holds values known only after apply.
    ResourceConfigUnknown,
    /// The provider block holds values known only after apply.
    ProviderConfigUnknown,
    /// Something the type needs does not exist yet.
    AbsentPrereq,
}

/// What `ConfigureProvider` answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigureResponse {
    pub diagnostics: Diagnostics,
    /// Set when the provider cannot work with this configuration yet: where the request
    /// allows deferral, the server then answers every plan-time call of a resource, data
    /// source or action with `deferred` (this reason) instead of calling the type; where it
    /// does not, the type is called and reports the problem itself.
    pub deferred: Option<DeferredReason>,
}

impl From<Diagnostics> for ConfigureResponse {
    fn from(diagnostics: Diagnostics) -> Self {
        ConfigureResponse {
            diagnostics,
            deferred: None,
        }
    }
}

/// The provider as the protocol server sees it: its own schema and configuration, and the
/// types it offers. Resources get whatever they need from the provider when constructed
/// (e.g. a shared handle filled in by `configure`).
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider block's schema.
    fn schema(&self) -> Schema;
    /// Validates the provider block (values may be unknown).
    async fn validate_config(&self, config: &Value) -> Diagnostics;
    /// Configures the provider before any resource operation.
    async fn configure(&self, request: ConfigureRequest) -> ConfigureResponse;
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>>;
    fn actions(&self) -> Vec<Arc<dyn Action>>;
}
