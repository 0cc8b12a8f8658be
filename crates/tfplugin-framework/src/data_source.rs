use async_trait::async_trait;

use super::{CancellationToken, Diagnostics, Schema};
use crate::cty::Value;

/// Input to [`DataSource::read`].
#[derive(Debug, Clone)]
pub struct DataSourceRequest {
    /// The data source's configuration (object of its schema).
    pub config: Value,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// A data source type. One implementation per Terraform type, in `src/data_sources/`.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Reads the data source; returns its full state (object of the schema) or errors.
    async fn read(&self, request: DataSourceRequest) -> (Option<Value>, Diagnostics);
}
