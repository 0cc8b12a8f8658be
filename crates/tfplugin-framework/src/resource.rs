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
    /// The private data this change's first plan returned, handed back by a Terraform that
    /// keeps it (`store_planned_private`, protocol 6.11, Terraform 1.16+) when it plans the
    /// change again just before applying it. `None` in a first plan, from a Terraform that does
    /// not keep it (1.15 and older), and when the first plan returned none.
    pub planned_private: Option<Vec<u8>>,
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

/// The answer to create or update, owned by the server and handed to the type to fill in.
/// Whatever it holds when the type returns is sent to Terraform, which saves `new_state` even
/// beside an error diagnostic: a type records what the platform holds as soon as it holds it,
/// and an early return afterwards (a failed later step) cannot lose it.
///
/// Create starts from a null state (nothing exists yet), update from the prior state (the
/// object as it was): a type that fails before changing anything leaves them as they are.
#[derive(Debug, Clone)]
pub struct ApplyResponse {
    /// The state to save; null means nothing exists on the platform.
    pub new_state: Value,
    /// Private state to save; starts as the planned private state.
    pub private: Vec<u8>,
    /// The identity to save; starts as the planned identity.
    pub new_identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

impl ApplyResponse {
    /// The response to a create, before the type acts: nothing exists.
    pub fn for_create(request: &CreateRequest) -> Self {
        ApplyResponse {
            new_state: Value::Null,
            private: request.planned_private.clone(),
            new_identity: request.planned_identity.clone(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// The response to an update, before the type acts: the object as it was.
    pub fn for_update(request: &UpdateRequest) -> Self {
        ApplyResponse {
            new_state: request.prior_state.clone(),
            private: request.planned_private.clone(),
            new_identity: request.planned_identity.clone(),
            diagnostics: Diagnostics::default(),
        }
    }
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

/// The answer to read, owned by the server. It starts as the prior state, private state and
/// identity, so a read that fails (or finds nothing to change) keeps them; an object that is
/// gone from the platform is removed from state only by an explicit [`ReadResponse::remove`].
#[derive(Debug, Clone)]
pub struct ReadResponse {
    /// The refreshed state; starts as the current state.
    pub new_state: Value,
    /// Private state; starts as the current private state.
    pub private: Vec<u8>,
    /// The identity; starts as the current identity.
    pub new_identity: Option<Value>,
    pub diagnostics: Diagnostics,
    removed: bool,
}

impl ReadResponse {
    /// The response before the type reads: everything as Terraform holds it now.
    pub fn for_request(request: &ReadRequest) -> Self {
        ReadResponse {
            new_state: request.current_state.clone(),
            private: request.private.clone(),
            new_identity: request.current_identity.clone(),
            diagnostics: Diagnostics::default(),
            removed: false,
        }
    }

    /// The object is gone from the platform: Terraform removes it from state.
    pub fn remove(&mut self) {
        self.removed = true;
    }

    /// Whether [`ReadResponse::remove`] was called.
    pub fn is_removed(&self) -> bool {
        self.removed
    }
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
    /// Creates the object. `response` starts with a null state; set it as soon as the
    /// platform holds something, so a later failure still leaves it in state.
    async fn create(&self, request: CreateRequest, response: &mut ApplyResponse);
    /// Refreshes the object. `response` starts as the current state; call
    /// [`ReadResponse::remove`] when the object is gone.
    async fn read(&self, request: ReadRequest, response: &mut ReadResponse);
    /// Updates the object in place. `response` starts as the prior state; set it as soon as
    /// the platform holds something new.
    async fn update(&self, request: UpdateRequest, response: &mut ApplyResponse);
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

/// Runs `resource`'s create as the server does, with a fresh [`ApplyResponse`].
pub async fn run_create(resource: &dyn Resource, request: CreateRequest) -> ApplyResponse {
    let mut response = ApplyResponse::for_create(&request);
    resource.create(request, &mut response).await;
    response
}

/// Runs `resource`'s update as the server does, with a response holding the prior state.
pub async fn run_update(resource: &dyn Resource, request: UpdateRequest) -> ApplyResponse {
    let mut response = ApplyResponse::for_update(&request);
    resource.update(request, &mut response).await;
    response
}

/// Runs `resource`'s read as the server does, with a response holding the current state.
pub async fn run_read(resource: &dyn Resource, request: ReadRequest) -> ReadResponse {
    let mut response = ReadResponse::for_request(&request);
    resource.read(request, &mut response).await;
    response
}
