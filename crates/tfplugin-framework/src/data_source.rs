use async_trait::async_trait;

use super::{Diagnostics, Schema};
use crate::cty::Value;

/// A data source type. One implementation per Terraform type, in `src/data_sources/`.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Reads the data source; returns its full state (object of the schema) or errors.
    async fn read(&self, config: Value) -> (Option<Value>, Diagnostics);
}
