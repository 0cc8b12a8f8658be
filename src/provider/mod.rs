//! The Genesys Cloud provider: configuration schema and the types it offers.

pub mod client;

use std::sync::Arc;

use async_trait::async_trait;

use crate::cty::Value;
use crate::tfplugin::{
    Action, Block, ConfigureRequest, DataSource, Diagnostics, ListResource, Provider, Resource,
    Schema,
};

/// The provider instance the plugin binary serves.
pub fn new() -> Arc<dyn Provider> {
    Arc::new(GenesysProvider)
}

/// The Genesys Cloud provider.
pub struct GenesysProvider;

#[async_trait]
impl Provider for GenesysProvider {
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::default()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        Vec::new()
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        Vec::new()
    }
    fn actions(&self) -> Vec<Arc<dyn Action>> {
        Vec::new()
    }
}
