use async_trait::async_trait;

use super::{CancellationToken, Diagnostics, IdentitySchema, Schema};
use crate::cty::{AttributePath, Value};

/// Input to [`Resource::modify_plan`]. Called for create (`prior_state` is `None`) and update;
/// never for destroy.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub prior_state: Option<Value>,
    pub proposed_new_state: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
    pub prior_identity: Option<Value>,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// The plan as the server computed it by default, which the resource may change: on create,
/// computed attributes that are null in config are unknown; on update, the proposed state.
#[derive(Debug, Clone, Default)]
pub struct PlanResponse {
    pub planned_state: Value,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub planned_identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// Input to [`Resource::create`].
#[derive(Debug, Clone)]
pub struct CreateRequest {
    pub config: Value,
    pub planned_state: Value,
    pub planned_private: Vec<u8>,
    pub planned_identity: Option<Value>,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// Input to [`Resource::update`].
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    pub config: Value,
    pub prior_state: Value,
    pub planned_state: Value,
    pub planned_private: Vec<u8>,
    pub planned_identity: Option<Value>,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// Input to [`Resource::delete`].
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    pub prior_state: Value,
    pub private: Vec<u8>,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// Result of create/update. `new_state: None` means nothing exists on the platform; a
/// partially successful create returns the state it has (at least the ID) plus errors so
/// Terraform keeps track of what was created.
#[derive(Debug, Clone, Default)]
pub struct ApplyResult {
    pub new_state: Option<Value>,
    pub private: Vec<u8>,
    pub new_identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// Input to [`Resource::read`].
#[derive(Debug, Clone)]
pub struct ReadRequest {
    pub current_state: Value,
    pub private: Vec<u8>,
    pub current_identity: Option<Value>,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// Result of read. `new_state: None` means the object is gone and leaves state.
#[derive(Debug, Clone, Default)]
pub struct ReadResult {
    pub new_state: Option<Value>,
    pub private: Vec<u8>,
    pub new_identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// Input to [`Resource::import`]: exactly one of `id` (CLI / `import { id }`) or `identity`
/// (`import { identity = {...} }`) is set.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub id: Option<String>,
    pub identity: Option<Value>,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// One imported object; Terraform reads it with [`Resource::read`] afterwards.
#[derive(Debug, Clone)]
pub struct ImportedResource {
    pub state: Value,
    pub private: Vec<u8>,
    pub identity: Option<Value>,
}

/// Result of import.
#[derive(Debug, Clone, Default)]
pub struct ImportResult {
    pub imported: Vec<ImportedResource>,
    pub diagnostics: Diagnostics,
}

/// A managed resource type. One implementation per Terraform type, in `src/resources/`.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// Full type name, e.g. `genesyscloud_routing_wrapupcode`.
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Resource identity schema, if the type supports identity (required for list resources).
    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }
    /// Validates configuration; values may be unknown.
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Adjusts the server's default plan (unknowns, requires-replace, validation against the
    /// platform). The default keeps it as is.
    async fn modify_plan(&self, _request: &PlanRequest, _plan: &mut PlanResponse) {}
    async fn create(&self, request: CreateRequest) -> ApplyResult;
    async fn read(&self, request: ReadRequest) -> ReadResult;
    async fn update(&self, request: UpdateRequest) -> ApplyResult;
    async fn delete(&self, request: DeleteRequest) -> Diagnostics;
    /// Imports by ID or identity. The default says the type cannot be imported.
    async fn import(&self, _request: ImportRequest) -> ImportResult {
        let mut result = ImportResult::default();
        result.diagnostics.error(
            "Import not supported",
            format!(
                "Resource type {} does not support import.",
                self.type_name()
            ),
        );
        result
    }
    /// Upgrades raw JSON state from an older schema `version`. Only called when `version` is
    /// below the current schema version; equal versions are decoded by the server.
    async fn upgrade_state(&self, version: i64, _raw_json: &[u8]) -> Result<Value, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        diagnostics.error(
            "Unsupported state version",
            format!(
                "{} cannot upgrade state from schema version {version}.",
                self.type_name()
            ),
        );
        Err(diagnostics)
    }

    /// Upgrades raw JSON identity from an older identity schema `version`. Only called when
    /// `version` is below the current identity version; equal versions are decoded by the
    /// server.
    async fn upgrade_identity(&self, version: i64, _raw_json: &[u8]) -> Result<Value, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        diagnostics.error(
            "Unsupported identity version",
            format!(
                "{} cannot upgrade resource identity from version {version}.",
                self.type_name()
            ),
        );
        Err(diagnostics)
    }
}
