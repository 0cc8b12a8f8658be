//! `genesyscloud_routing_wrapupcode`: a wrap-up code agents pick after an interaction.
//!
//! Same attribute names, ID (the code's UUID) and schema version as the official provider, so
//! existing state moves over. Choices worth knowing:
//! - `description`: the platform does not tell an empty description from none. State keeps
//!   whichever form the configuration uses (`""` or omitted), so neither plans a change; import
//!   and `terraform query` produce the omitted form.
//! - `division_id`: optional and computed. Unset, the platform puts the code in the home
//!   division and state records it; later plans keep it. Changing it moves the code in place
//!   (PUT), as the platform allows; removing it from the configuration leaves the code where it
//!   is.
//! - Create is safe to retry: the name is checked free before the POST, and if the POST's
//!   answer is lost the code is found by name and adopted instead of created twice.
//! - Import by ID, by `name:<exact name>`, or by identity `{ id }`.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::support::{
    Attr, PlatformError, WrapupCode, WrapupCodeApi, WrapupCodeInput, attr, attr_str, is_uuid,
    object, path, set_attr, string_or_null,
};
use crate::cty::{Type, Value};
use crate::provider::client::ApiHandle;
use crate::tfplugin::{
    ApplyResult, Attribute, Block, CreateRequest, DeleteRequest, Diagnostics, IdentityAttribute,
    IdentitySchema, ImportRequest, ImportResult, ImportedResource, PlanRequest, PlanResponse,
    ReadRequest, ReadResult, Resource, Schema, UpdateRequest,
};

/// The Terraform type name, shared by the resource, data source and list resource.
pub const TYPE_NAME: &str = "genesyscloud_routing_wrapupcode";

/// Schema version 1, as the official provider's, so its state loads without an upgrade.
pub const SCHEMA_VERSION: i64 = 1;

/// Longest name the platform accepts, in characters (the emulator enforces the same limit).
pub const NAME_MAX_CHARS: usize = 255;

/// Prefix of the import ID form that looks a code up by its exact name.
pub const IMPORT_BY_NAME_PREFIX: &str = "name:";

/// How many times create sends the POST when its answers keep getting lost.
const CREATE_ATTEMPTS: u32 = 5;

/// Pause before the second POST; doubles before each later one.
const CREATE_RETRY_PAUSE: Duration = Duration::from_millis(250);

/// How long create looks for a code by name after a POST whose answer was lost (covers the
/// platform's read-after-write lag).
const ADOPT_WAIT: Duration = Duration::from_secs(8);

/// The managed resource.
pub struct RoutingWrapupCode {
    api: ApiHandle,
}

impl RoutingWrapupCode {
    /// The resource, reaching the platform through the provider's shared handle.
    pub fn new(api: ApiHandle) -> Arc<Self> {
        Arc::new(RoutingWrapupCode { api })
    }
}

/// The resource schema (also the shape of list results and generated configuration).
pub fn resource_schema() -> Schema {
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            description: "A Genesys Cloud wrap-up code: the outcome an agent records after an \
                          interaction (e.g. \"Sale completed\"). Names are unique in the org."
                .into(),
            attributes: vec![
                string_attribute(
                    "id",
                    "The wrap-up code's ID (a UUID), as in the official provider.",
                    Flags::COMPUTED,
                ),
                string_attribute(
                    "name",
                    "Wrap-up code name, unique in the org; 1 to 255 characters, no control \
                     characters or leading/trailing spaces. Renaming updates the code in place.",
                    Flags::REQUIRED,
                ),
                string_attribute(
                    "division_id",
                    "ID of the division the code belongs to. When not set, the platform uses \
                     the home division and state records it. Changing it moves the code in \
                     place; removing it from the configuration leaves the code where it is.",
                    Flags::OPTIONAL_COMPUTED,
                ),
                string_attribute(
                    "description",
                    "The wrap-up code description. An empty string and an omitted description \
                     are the same on the platform and never show as a change.",
                    Flags::OPTIONAL,
                ),
            ],
            ..Block::default()
        },
    }
}

/// The identity schema: `{ id }`, version 0.
pub fn identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![IdentityAttribute {
            name: "id".into(),
            ty: Type::String,
            description: "The wrap-up code's ID (a UUID).".into(),
            required_for_import: true,
            optional_for_import: false,
        }],
    }
}

/// Who sets an attribute.
pub(crate) struct Flags {
    required: bool,
    optional: bool,
    computed: bool,
}

impl Flags {
    pub(crate) const REQUIRED: Flags = Flags {
        required: true,
        optional: false,
        computed: false,
    };
    pub(crate) const OPTIONAL: Flags = Flags {
        required: false,
        optional: true,
        computed: false,
    };
    pub(crate) const COMPUTED: Flags = Flags {
        required: false,
        optional: false,
        computed: true,
    };
    pub(crate) const OPTIONAL_COMPUTED: Flags = Flags {
        required: false,
        optional: true,
        computed: true,
    };
}

/// A string attribute with the given description and flags.
pub(crate) fn string_attribute(name: &str, description: &str, flags: Flags) -> Attribute {
    Attribute {
        name: name.into(),
        ty: Type::String,
        description: description.into(),
        required: flags.required,
        optional: flags.optional,
        computed: flags.computed,
        sensitive: false,
        write_only: false,
        deprecated: false,
    }
}

/// Checks a known wrap-up code name; the problem as a sentence, or `None` when acceptable.
pub fn name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if name.trim().is_empty() {
        return Some("The name must not be empty.".into());
    }
    if chars > NAME_MAX_CHARS {
        return Some(format!(
            "The name is {chars} characters long; Genesys Cloud accepts at most \
             {NAME_MAX_CHARS}."
        ));
    }
    if let Some(bad) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "The name contains the control character {bad:?}; wrap-up code names are a \
             single line of printable text."
        ));
    }
    if name.trim() != name {
        return Some(
            "The name starts or ends with whitespace, which Genesys Cloud trims; remove it so \
             the configuration matches what the platform stores."
                .into(),
        );
    }
    None
}

/// Attribute-scoped validation of `name` and `division_id` (skips unknown values).
pub fn validate_name_and_division(config: &Value, diagnostics: &mut Diagnostics) {
    if let Some(name) = attr_str(config, "name")
        && let Some(problem) = name_problem(name)
    {
        diagnostics.attribute_error(path("name"), "Invalid wrap-up code name", problem);
    }
    validate_division_id(config, diagnostics);
}

/// A known `division_id` must be a UUID.
pub fn validate_division_id(config: &Value, diagnostics: &mut Diagnostics) {
    if let Some(division) = attr_str(config, "division_id")
        && !is_uuid(division)
    {
        diagnostics.attribute_error(
            path("division_id"),
            "Invalid division ID",
            format!(
                "{division:?} is not a division ID. Division IDs are UUIDs such as \
                 \"3fa85f64-5717-4562-b3fc-2c963f66afa6\" (see Admin > Divisions, or the \
                 genesyscloud_auth_division data source)."
            ),
        );
    }
}

/// Terraform state for a code. The description keeps the form `prior` used (`""` or null)
/// when the platform holds none, so neither form shows as a change.
pub fn state_of(code: &WrapupCode, prior: Option<&Value>) -> Value {
    let description = match (&code.description, prior.map(|p| attr(p, "description"))) {
        (Some(text), _) => Value::String(text.clone()),
        (None, Some(Attr::Known(Value::String(empty)))) if empty.is_empty() => {
            Value::String(String::new())
        }
        (None, _) => Value::Null,
    };
    object([
        ("id", Value::String(code.id.clone())),
        ("name", Value::String(code.name.clone())),
        ("division_id", string_or_null(code.division_id.as_deref())),
        ("description", description),
    ])
}

/// The identity `{ id }` of a code.
pub fn identity_of(id: &str) -> Value {
    object([("id", Value::String(id.to_owned()))])
}

/// What create and update send, read from the planned state.
fn input_from(planned: &Value) -> Result<WrapupCodeInput, Diagnostics> {
    let Some(name) = attr_str(planned, "name") else {
        let mut diagnostics = Diagnostics::default();
        diagnostics.attribute_error(
            path("name"),
            "Wrap-up code name is not known",
            "The planned name is null or unknown at apply time; this is a bug in the provider.",
        );
        return Err(diagnostics);
    };
    Ok(WrapupCodeInput {
        name: name.to_owned(),
        division_id: attr_str(planned, "division_id").map(str::to_owned),
        description: attr_str(planned, "description")
            .filter(|text| !text.is_empty())
            .map(str::to_owned),
    })
}

/// Whether two names are the same to the platform, which keeps names unique ignoring case
/// and surrounding whitespace.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The code holding this name as the platform sees it (ignoring case), if any.
pub async fn find_holder(
    api: &dyn WrapupCodeApi,
    name: &str,
) -> Result<Option<WrapupCode>, PlatformError> {
    let found = api.search_by_name(name).await?;
    let exact = found.iter().position(|code| code.name == name);
    let similar = found.iter().position(|code| same_name(&code.name, name));
    Ok(exact.or(similar).map(|index| found[index].clone()))
}

/// Looks for the holder of `name` until `wait` has passed (read-after-write lag).
async fn find_holder_within(
    api: &dyn WrapupCodeApi,
    name: &str,
    wait: Duration,
) -> Result<Option<WrapupCode>, PlatformError> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut pause = Duration::from_millis(100);
    loop {
        if let Some(code) = find_holder(api, name).await? {
            return Ok(Some(code));
        }
        if tokio::time::Instant::now() + pause > deadline {
            return Ok(None);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

/// The error for a name that already belongs to a code outside this state.
fn name_taken(name: &str, existing_id: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.attribute_error(
        path("name"),
        "Wrap-up code name already in use",
        format!(
            "A wrap-up code named {name:?} already exists in Genesys Cloud (id {existing_id}) \
             and is not managed by this configuration. Names are unique, so it cannot be \
             created again. To manage the existing code, import it:\n  terraform import \
             {TYPE_NAME}.<label> {existing_id}\nor add an import block:\n  import {{\n    to = \
             {TYPE_NAME}.<label>\n    id = \"{existing_id}\"\n  }}\nOr choose another name."
        ),
    );
    diagnostics
}

/// Diagnostics for a failed create or update. A refusal (400) that names the division sent is
/// about `division_id` (a division that does not exist or that these credentials cannot use),
/// so it points there rather than at the whole resource.
fn write_failure(error: &PlatformError, action: &str, input: &WrapupCodeInput) -> Diagnostics {
    let mut diagnostics = error.diagnostics(action);
    let about_division = match (error, input.division_id.as_deref()) {
        (PlatformError::Invalid(failure), Some(division)) => {
            let message = failure.message.to_lowercase();
            message.contains(&division.to_lowercase()) || message.contains("division")
        }
        _ => false,
    };
    if about_division {
        for diagnostic in &mut diagnostics.0 {
            diagnostic
                .attribute
                .get_or_insert_with(|| path("division_id"));
            diagnostic.detail.push_str(
                "\nCheck the division ID, and that the OAuth client's role grants access to \
                 that division.",
            );
        }
    }
    diagnostics
}

/// Why a safe create did not produce a code.
enum CreateFailure {
    NameTaken(String),
    Platform(PlatformError),
}

impl From<PlatformError> for CreateFailure {
    fn from(error: PlatformError) -> Self {
        CreateFailure::Platform(error)
    }
}

/// Creates a code without ever creating two. The name must be free before the first POST, so
/// a code holding the name after a POST whose answer was lost is the one we created: it is
/// adopted. A lost answer is followed by one look-up; if the code is not visible (yet), the
/// POST is sent again after a growing pause, and a conflict on that retry means the earlier
/// POST did land, so the code is looked up (waiting out read-after-write lag) and adopted.
async fn create_safely(
    api: &dyn WrapupCodeApi,
    input: &WrapupCodeInput,
) -> Result<WrapupCode, CreateFailure> {
    if let Some(existing) = find_holder(api, &input.name).await? {
        return Err(CreateFailure::NameTaken(existing.id));
    }
    let mut attempt = 1;
    loop {
        match api.create(input).await {
            Ok(code) => return Ok(code),
            Err(PlatformError::Ambiguous(detail)) => {
                tracing::warn!(
                    attempt,
                    "wrap-up code create answer lost; looking it up by name"
                );
                if let Some(code) = find_holder(api, &input.name).await? {
                    return Ok(code);
                }
                if attempt >= CREATE_ATTEMPTS {
                    return Err(PlatformError::Ambiguous(detail).into());
                }
                tokio::time::sleep(CREATE_RETRY_PAUSE * 2u32.pow(attempt - 1)).await;
            }
            Err(PlatformError::Conflict(failure)) if attempt > 1 => {
                return match find_holder_within(api, &input.name, ADOPT_WAIT).await? {
                    Some(code) => Ok(code),
                    None => Err(PlatformError::Conflict(failure).into()),
                };
            }
            Err(PlatformError::Conflict(failure)) => {
                // Someone took the name between our check and the POST.
                return match find_holder(api, &input.name).await? {
                    Some(code) => Err(CreateFailure::NameTaken(code.id)),
                    None => Err(PlatformError::Conflict(failure).into()),
                };
            }
            Err(other) => return Err(other.into()),
        }
        attempt += 1;
    }
}

#[async_trait]
impl Resource for RoutingWrapupCode {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        resource_schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity_schema())
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        validate_name_and_division(config, &mut diagnostics);
        diagnostics
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let planned_name = attr_str(&plan.planned_state, "name").map(str::to_owned);
        let prior_name = request
            .prior_state
            .as_ref()
            .and_then(|prior| attr_str(prior, "name"))
            .map(str::to_owned);
        // Creating, the identity is not known yet and is left null: Terraform 1.15 cannot render
        // a plan whose identity holds unknowns (`terraform show -json` fails on it).
        let own_id = match &request.prior_state {
            None => {
                plan.planned_identity = None;
                None
            }
            Some(prior) => {
                let id = attr_str(prior, "id").map(str::to_owned);
                if let Some(id) = &id {
                    plan.planned_identity = Some(identity_of(id));
                }
                id
            }
        };
        let creating_in_home =
            request.prior_state.is_none() && attr(&request.config, "division_id") == Attr::Null;
        let renaming = planned_name.filter(|name| Some(name) != prior_name.as_ref());
        if !creating_in_home && renaming.is_none() {
            return;
        }
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => {
                plan.diagnostics
                    .extend(error.diagnostics("plan the wrap-up code"));
                return;
            }
        };
        // Unset, the division is the home division: say which instead of "known after apply".
        if creating_in_home && let Some(home) = codes.home_division_id().await {
            set_attr(&mut plan.planned_state, "division_id", Value::String(home));
        }
        // The name must be free when creating or renaming: fail at plan time, not half-way
        // through an apply.
        let Some(name) = renaming else {
            return;
        };
        let holder = match codes.snapshot().await {
            Some(all) => Ok(all.into_iter().find(|code| same_name(&code.name, &name))),
            None => find_holder(codes.api(), &name).await,
        };
        match holder {
            Ok(Some(code)) if Some(&code.id) != own_id.as_ref() => {
                plan.diagnostics.extend(name_taken(&name, &code.id));
            }
            Ok(_) => {}
            Err(error) => plan
                .diagnostics
                .extend(error.diagnostics(&format!("check whether the name {name:?} is free"))),
        }
    }

    async fn create(&self, request: CreateRequest) -> ApplyResult {
        let mut result = ApplyResult::default();
        let input = match input_from(&request.planned_state) {
            Ok(input) => input,
            Err(diagnostics) => {
                result.diagnostics = diagnostics;
                return result;
            }
        };
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => {
                result.diagnostics = error.diagnostics("create the wrap-up code");
                return result;
            }
        };
        match create_safely(codes.api(), &input).await {
            Ok(code) => {
                codes.remember(code.clone()).await;
                result.new_identity = Some(identity_of(&code.id));
                result.new_state = Some(state_of(&code, Some(&request.planned_state)));
            }
            Err(CreateFailure::NameTaken(id)) => result.diagnostics = name_taken(&input.name, &id),
            Err(CreateFailure::Platform(error)) => {
                let action = format!("create wrap-up code {:?}", input.name);
                result.diagnostics = write_failure(&error, &action, &input);
            }
        }
        result
    }

    async fn read(&self, request: ReadRequest) -> ReadResult {
        let mut result = ReadResult {
            new_state: Some(request.current_state.clone()),
            new_identity: request.current_identity.clone(),
            ..ReadResult::default()
        };
        let Some(id) = attr_str(&request.current_state, "id").map(str::to_owned) else {
            result.diagnostics.error(
                "Wrap-up code state has no ID",
                "The state of this genesyscloud_routing_wrapupcode has no `id`; remove it with \
                 `terraform state rm` and import the code again.",
            );
            return result;
        };
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => {
                result.diagnostics = error.diagnostics("read the wrap-up code");
                return result;
            }
        };
        match codes.read(&id).await {
            Ok(Some(code)) => {
                result.new_state = Some(state_of(&code, Some(&request.current_state)));
                result.new_identity = Some(identity_of(&code.id));
            }
            Ok(None) => {
                tracing::info!(%id, "wrap-up code is gone from the platform; dropping it from state");
                result.new_state = None;
                result.new_identity = None;
            }
            Err(error) => {
                result.diagnostics = error.diagnostics(&format!("read wrap-up code {id}"))
            }
        }
        result
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResult {
        let mut result = ApplyResult {
            new_state: Some(request.prior_state.clone()),
            new_identity: request.planned_identity.clone(),
            ..ApplyResult::default()
        };
        let Some(id) = attr_str(&request.prior_state, "id").map(str::to_owned) else {
            result.diagnostics.error(
                "Wrap-up code state has no ID",
                "Cannot update a code without its ID.",
            );
            return result;
        };
        let input = match input_from(&request.planned_state) {
            Ok(input) => input,
            Err(diagnostics) => {
                result.diagnostics = diagnostics;
                return result;
            }
        };
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => {
                result.diagnostics = error.diagnostics("update the wrap-up code");
                return result;
            }
        };
        match codes.api().update(&id, &input).await {
            Ok(code) => {
                codes.remember(code.clone()).await;
                result.new_identity = Some(identity_of(&code.id));
                result.new_state = Some(state_of(&code, Some(&request.planned_state)));
            }
            Err(PlatformError::NotFound(_)) => {
                codes.forget(&id).await;
                result.diagnostics.error(
                    "Wrap-up code was deleted outside Terraform",
                    format!(
                        "Wrap-up code {id} no longer exists, so it cannot be updated. Run \
                         `terraform apply` again: the refresh will notice and plan to create it."
                    ),
                );
            }
            Err(PlatformError::Conflict(failure)) => {
                let holder = find_holder(codes.api(), &input.name).await.ok().flatten();
                match holder {
                    Some(code) => result.diagnostics = name_taken(&input.name, &code.id),
                    None => {
                        result.diagnostics = PlatformError::Conflict(failure)
                            .diagnostics(&format!("update wrap-up code {id}"))
                    }
                }
            }
            Err(error) => {
                let action = format!("update wrap-up code {id}");
                result.diagnostics = write_failure(&error, &action, &input);
            }
        }
        result
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let Some(id) = attr_str(&request.prior_state, "id").map(str::to_owned) else {
            return Diagnostics::default();
        };
        let codes = match self.api.wrapup_codes().await {
            Ok(codes) => codes,
            Err(error) => return error.diagnostics("delete the wrap-up code"),
        };
        match codes.api().delete(&id).await {
            Ok(existed) => {
                if !existed {
                    tracing::info!(%id, "wrap-up code was already deleted");
                }
                codes.forget(&id).await;
                Diagnostics::default()
            }
            Err(error) => error.diagnostics(&format!("delete wrap-up code {id}")),
        }
    }

    /// Version 0 is the official provider's first schema: the same four attributes.
    async fn upgrade_state(&self, version: i64, raw_json: &[u8]) -> Result<Value, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        if version != 0 {
            diagnostics.error(
                "Unsupported wrap-up code state version",
                format!("Cannot upgrade {TYPE_NAME} state from schema version {version}."),
            );
            return Err(diagnostics);
        }
        let raw: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(raw_json)
        {
            Ok(raw) => raw,
            Err(error) => {
                diagnostics.error(
                    "Unreadable wrap-up code state",
                    format!("The stored state is not a JSON object: {error}."),
                );
                return Err(diagnostics);
            }
        };
        let text = |name: &str| string_or_null(raw.get(name).and_then(|value| value.as_str()));
        Ok(object([
            ("id", text("id")),
            ("name", text("name")),
            ("division_id", text("division_id")),
            ("description", text("description")),
        ]))
    }

    async fn import(&self, request: ImportRequest) -> ImportResult {
        let mut result = ImportResult::default();
        let id = match (&request.id, &request.identity) {
            (Some(id), _) if !id.is_empty() => self.resolve_import_id(id).await,
            (_, Some(identity)) => match attr_str(identity, "id") {
                Some(id) if is_uuid(id) => Ok(id.to_owned()),
                other => Err(import_error(format!(
                    "The identity's `id` must be a wrap-up code UUID, got {other:?}."
                ))),
            },
            _ => Err(import_error(
                "Give an ID, `name:<exact name>`, or an identity.".into(),
            )),
        };
        match id {
            Ok(id) => result.imported.push(ImportedResource {
                state: object([
                    ("id", Value::String(id.clone())),
                    ("name", Value::Null),
                    ("division_id", Value::Null),
                    ("description", Value::Null),
                ]),
                private: Vec::new(),
                identity: Some(identity_of(&id)),
            }),
            Err(diagnostics) => result.diagnostics = diagnostics,
        }
        result
    }
}

fn import_error(detail: String) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Invalid wrap-up code import ID",
        format!(
            "{detail}\nImport a wrap-up code by its UUID (`terraform import \
             {TYPE_NAME}.<label> 3fa85f64-5717-4562-b3fc-2c963f66afa6`), by exact name \
             (`{IMPORT_BY_NAME_PREFIX}Sale completed`), or with an import block's \
             `identity = {{ id = \"<uuid>\" }}`."
        ),
    );
    diagnostics
}

impl RoutingWrapupCode {
    /// Turns an import ID (a UUID or `name:<exact name>`) into the code's UUID.
    async fn resolve_import_id(&self, raw: &str) -> Result<String, Diagnostics> {
        if let Some(name) = raw.strip_prefix(IMPORT_BY_NAME_PREFIX) {
            let codes = self
                .api
                .wrapup_codes()
                .await
                .map_err(|error| error.diagnostics("look up the wrap-up code to import"))?;
            let matches: Vec<WrapupCode> = codes
                .api()
                .search_by_name(name)
                .await
                .map_err(|error| error.diagnostics(&format!("look up wrap-up code {name:?}")))?
                .into_iter()
                .filter(|code| code.name == name)
                .collect();
            return match matches.as_slice() {
                [code] => Ok(code.id.clone()),
                [] => {
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.error(
                        "Wrap-up code not found",
                        format!(
                            "No wrap-up code is named exactly {name:?} (names are case \
                             sensitive here). Check the name, or import by ID."
                        ),
                    );
                    Err(diagnostics)
                }
                many => {
                    let ids: Vec<&str> = many.iter().map(|code| code.id.as_str()).collect();
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.error(
                        "Several wrap-up codes have this name",
                        format!(
                            "Wrap-up codes {} are all named {name:?}; import one by ID.",
                            ids.join(", ")
                        ),
                    );
                    Err(diagnostics)
                }
            };
        }
        if is_uuid(raw) {
            Ok(raw.to_owned())
        } else {
            Err(import_error(format!("{raw:?} is not a wrap-up code ID.")))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::cty::Refinements;
    use crate::resources::support::ApiFailure;

    fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }

    #[test]
    fn names_are_checked_for_emptiness_length_and_characters() {
        assert_eq!(name_problem("Sale completed"), None);
        assert_eq!(name_problem(&"é".repeat(NAME_MAX_CHARS)), None);
        assert!(name_problem("").unwrap().contains("empty"));
        assert!(name_problem("   ").unwrap().contains("empty"));
        assert!(
            name_problem(&"a".repeat(NAME_MAX_CHARS + 1))
                .unwrap()
                .contains("256 characters")
        );
        assert!(name_problem("a\nb").unwrap().contains("control character"));
        assert!(name_problem(" padded").unwrap().contains("whitespace"));
    }

    #[tokio::test]
    async fn version_zero_state_upgrades_to_the_same_attributes() {
        let resource = RoutingWrapupCode::new(ApiHandle::lazy(|| {
            Err(PlatformError::NotConfigured("unused".into()))
        }));
        let upgraded = resource
            .upgrade_state(
                0,
                br#"{"id":"i","name":"n","division_id":"d","description":null,"extra":1}"#,
            )
            .await
            .unwrap();
        assert_eq!(attr_str(&upgraded, "id"), Some("i"));
        assert_eq!(attr_str(&upgraded, "division_id"), Some("d"));
        assert_eq!(attr(&upgraded, "description"), Attr::Null);
        assert!(resource.upgrade_state(0, b"[]").await.is_err());
        assert!(resource.upgrade_state(7, b"{}").await.is_err());
    }

    #[test]
    fn validation_points_at_the_attribute() {
        let config = object([
            ("name", Value::String(String::new())),
            ("division_id", Value::String("home".into())),
            ("description", Value::Null),
            ("id", Value::Null),
        ]);
        let mut diagnostics = Diagnostics::default();
        validate_name_and_division(&config, &mut diagnostics);
        let paths: Vec<_> = diagnostics.0.iter().map(|d| d.attribute.clone()).collect();
        assert_eq!(paths, vec![Some(path("name")), Some(path("division_id"))]);
    }

    #[test]
    fn unknown_values_are_not_validated() {
        let config = object([("name", unknown()), ("division_id", unknown())]);
        let mut diagnostics = Diagnostics::default();
        validate_name_and_division(&config, &mut diagnostics);
        assert!(diagnostics.0.is_empty());
    }

    fn code(id: &str, name: &str, description: Option<&str>) -> WrapupCode {
        WrapupCode {
            id: id.into(),
            name: name.into(),
            division_id: Some("d0000000-0000-0000-0000-000000000000".into()),
            description: description.map(str::to_owned),
        }
    }

    #[test]
    fn empty_description_keeps_the_form_state_used() {
        let empty = code("i", "n", None);
        let with_empty = object([("description", Value::String(String::new()))]);
        let with_null = object([("description", Value::Null)]);
        assert_eq!(
            attr(&state_of(&empty, Some(&with_empty)), "description"),
            Attr::Known(&Value::String(String::new()))
        );
        assert_eq!(
            attr(&state_of(&empty, Some(&with_null)), "description"),
            Attr::Null
        );
        assert_eq!(attr(&state_of(&empty, None), "description"), Attr::Null);
        let described = code("i", "n", Some("text"));
        assert_eq!(
            attr_str(&state_of(&described, Some(&with_empty)), "description"),
            Some("text")
        );
    }

    /// A platform whose create answers can be lost after the code was stored.
    #[derive(Default)]
    struct FakePlatform {
        codes: Mutex<Vec<WrapupCode>>,
        lose_answers: AtomicUsize,
        refuse_unanswered: AtomicUsize,
        hide_new_codes: AtomicUsize,
        posts: AtomicUsize,
    }

    #[async_trait]
    impl WrapupCodeApi for FakePlatform {
        async fn list_all(&self) -> Result<Vec<WrapupCode>, PlatformError> {
            Ok(self.codes.lock().unwrap().clone())
        }
        async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError> {
            let needle = name.to_lowercase();
            if self.hide_new_codes.load(Ordering::SeqCst) > 0 {
                self.hide_new_codes.fetch_sub(1, Ordering::SeqCst);
                return Ok(Vec::new());
            }
            Ok(self
                .codes
                .lock()
                .unwrap()
                .iter()
                .filter(|c| c.name.to_lowercase().contains(&needle))
                .cloned()
                .collect())
        }
        async fn list_filtered(
            &self,
            _name: Option<&str>,
            _division_id: Option<&str>,
        ) -> Result<Vec<WrapupCode>, PlatformError> {
            self.list_all().await
        }
        async fn get(&self, id: &str) -> Result<Option<WrapupCode>, PlatformError> {
            Ok(self
                .codes
                .lock()
                .unwrap()
                .iter()
                .find(|c| c.id == id)
                .cloned())
        }
        async fn create(&self, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError> {
            let n = self.posts.fetch_add(1, Ordering::SeqCst);
            if self.refuse_unanswered.load(Ordering::SeqCst) > n {
                return Err(PlatformError::Ambiguous("503 from the gateway".into()));
            }
            let mut codes = self.codes.lock().unwrap();
            if codes.iter().any(|c| same_name(&c.name, &input.name)) {
                return Err(PlatformError::Conflict(ApiFailure {
                    status: Some(409),
                    message: "duplicate".into(),
                    ..ApiFailure::default()
                }));
            }
            let created = code(&format!("id-{n}"), &input.name, None);
            codes.push(created.clone());
            if self.lose_answers.load(Ordering::SeqCst) > n {
                return Err(PlatformError::Ambiguous("connection reset".into()));
            }
            Ok(created)
        }
        async fn update(
            &self,
            _id: &str,
            _input: &WrapupCodeInput,
        ) -> Result<WrapupCode, PlatformError> {
            unreachable!("not used by these tests")
        }
        async fn delete(&self, _id: &str) -> Result<bool, PlatformError> {
            unreachable!("not used by these tests")
        }
        async fn home_division_id(&self) -> Result<String, PlatformError> {
            Ok("d0000000-0000-0000-0000-000000000000".into())
        }
    }

    fn input(name: &str) -> WrapupCodeInput {
        WrapupCodeInput {
            name: name.into(),
            division_id: None,
            description: None,
        }
    }

    #[tokio::test]
    async fn a_lost_create_answer_adopts_the_code_instead_of_duplicating_it() {
        let platform = FakePlatform::default();
        platform.lose_answers.store(1, Ordering::SeqCst);
        let created = create_safely(&platform, &input("Sale")).await.ok().unwrap();
        assert_eq!(created.name, "Sale");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
        assert_eq!(platform.posts.load(Ordering::SeqCst), 1);
    }

    fn plan_request(prior: Option<Value>, config: Value) -> (PlanRequest, PlanResponse) {
        let mut planned = config.clone();
        if prior.is_none() {
            set_attr(&mut planned, "id", unknown());
            if attr(&config, "division_id") == Attr::Null {
                set_attr(&mut planned, "division_id", unknown());
            }
        }
        let request = PlanRequest {
            prior_state: prior,
            proposed_new_state: planned.clone(),
            config,
            prior_private: Vec::new(),
            prior_identity: None,
        };
        let response = PlanResponse {
            planned_state: planned,
            ..PlanResponse::default()
        };
        (request, response)
    }

    fn config(name: &str) -> Value {
        object([
            ("id", Value::Null),
            ("name", Value::String(name.into())),
            ("division_id", Value::Null),
            ("description", Value::Null),
        ])
    }

    #[tokio::test]
    async fn create_plan_knows_the_home_division_and_refuses_a_taken_name() {
        let platform = Arc::new(FakePlatform::default());
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("existing", "Taken", None));
        let resource = RoutingWrapupCode::new(ApiHandle::fixed(platform.clone(), true));

        let (request, mut plan) = plan_request(None, config("Fresh"));
        resource.modify_plan(&request, &mut plan).await;
        assert!(plan.diagnostics.0.is_empty(), "{:?}", plan.diagnostics);
        assert_eq!(
            attr_str(&plan.planned_state, "division_id"),
            Some("d0000000-0000-0000-0000-000000000000")
        );
        assert_eq!(attr(&plan.planned_state, "id"), Attr::Unknown);

        let (request, mut plan) = plan_request(None, config("taken"));
        resource.modify_plan(&request, &mut plan).await;
        let diagnostic = &plan.diagnostics.0[0];
        assert_eq!(diagnostic.attribute, Some(path("name")));
        assert!(
            diagnostic.detail.contains("(id existing)"),
            "{}",
            diagnostic.detail
        );
    }

    #[tokio::test]
    async fn update_plan_keeps_identity_and_allows_renaming_to_another_case() {
        let platform = Arc::new(FakePlatform::default());
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("mine", "Sale", None));
        let resource = RoutingWrapupCode::new(ApiHandle::fixed(platform.clone(), true));
        let prior = state_of(&code("mine", "Sale", None), None);
        let mut renamed = prior.clone();
        set_attr(&mut renamed, "name", Value::String("SALE".into()));
        let (request, mut plan) = plan_request(Some(prior), renamed);
        resource.modify_plan(&request, &mut plan).await;
        assert!(plan.diagnostics.0.is_empty(), "{:?}", plan.diagnostics);
        assert_eq!(plan.planned_identity, Some(identity_of("mine")));
        assert_eq!(attr_str(&plan.planned_state, "id"), Some("mine"));
    }

    #[tokio::test]
    async fn a_create_refused_without_answer_is_sent_again() {
        let platform = FakePlatform::default();
        platform.refuse_unanswered.store(2, Ordering::SeqCst);
        let created = create_safely(&platform, &input("Sale")).await.ok().unwrap();
        assert_eq!(created.name, "Sale");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
        assert_eq!(platform.posts.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_lost_answer_hidden_by_search_lag_is_adopted_after_the_retry_conflicts() {
        let platform = FakePlatform::default();
        platform.lose_answers.store(1, Ordering::SeqCst);
        // The pre-check sees an empty org, then the look-up after the lost answer lags.
        platform.hide_new_codes.store(2, Ordering::SeqCst);
        let created = create_safely(&platform, &input("Sale")).await.ok().unwrap();
        assert_eq!(created.id, "id-0");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
        assert_eq!(platform.posts.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_name_differing_only_in_case_counts_as_taken() {
        let platform = FakePlatform::default();
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("existing", "SALE", None));
        assert!(matches!(
            create_safely(&platform, &input("Sale")).await,
            Err(CreateFailure::NameTaken(id)) if id == "existing"
        ));
    }

    #[tokio::test]
    async fn a_name_taken_before_create_is_refused_with_its_id() {
        let platform = FakePlatform::default();
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("existing", "Sale", None));
        match create_safely(&platform, &input("Sale")).await {
            Err(CreateFailure::NameTaken(id)) => assert_eq!(id, "existing"),
            _ => panic!("expected the name to be reported as taken"),
        }
        assert_eq!(platform.posts.load(Ordering::SeqCst), 0);
        let detail = &name_taken("Sale", "existing").0[0].detail;
        assert!(
            detail.contains("terraform import genesyscloud_routing_wrapupcode.<label> existing")
        );
    }

    #[tokio::test]
    async fn a_similar_name_does_not_block_create() {
        let platform = FakePlatform::default();
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("other", "Sale completed", None));
        assert!(create_safely(&platform, &input("Sale")).await.is_ok());
    }
}
