use std::sync::Arc;

use async_trait::async_trait;

use super::{Action, DataSource, Diagnostics, ListResource, Resource, Schema};
use crate::cty::Value;

/// What `ConfigureProvider` carries.
#[derive(Debug, Clone)]
pub struct ConfigureRequest {
    pub terraform_version: String,
    /// The provider block's value (object of the provider schema; may contain unknowns).
    pub config: Value,
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
    async fn configure(&self, request: ConfigureRequest) -> Diagnostics;
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>>;
    fn actions(&self) -> Vec<Arc<dyn Action>>;
}
