//! The test-only provider: resource and list `test_thing` (with identity `{id}`), data
//! source `test_lookup`, action `test_notify`. It records what the server asked of it.
//! A `test_thing` named [`PANIC`] (or a list prefix or action message [`PANIC`]) makes the
//! operation panic, for the catch-panic tests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tfplugin_framework::cty::{AttributePath, Type, Value};
use tfplugin_framework::{
    Action, ActionRequest, ApplyResponse, Attribute, Block, ConfigureRequest, ConfigureResponse,
    CreateRequest, DataSource, DeferredReason, DeleteRequest, Diagnostics, IdentityAttribute,
    IdentitySchema, ImportRequest, ImportResult, ImportedResource, ListEvent, ListRequest,
    ListResource, ListSink, PlanRequest, PlanResponse, ProgressSink, Provider, ReadRequest,
    ReadResponse, Resource, Schema, UpdateRequest,
};

/// Current schema version of `test_thing`; version 1 called `name` `title`.
pub const THING_VERSION: i64 = 2;
/// The name, list prefix or action message that makes an operation panic.
pub const PANIC: &str = "panic";

/// Panics with a message naming `operation`, when `text` is [`PANIC`].
fn panic_on(text: Option<&str>, operation: &str) {
    if text == Some(PANIC) {
        panic!("deliberate test panic in {operation}");
    }
}

/// How many objects the `test_thing` list resource knows.
pub const LISTED: usize = 10;

/// What the provider was asked to do, for assertions.
#[derive(Default)]
pub struct Calls {
    pub creates: AtomicUsize,
    /// Creates that ran to their end.
    pub creates_finished: AtomicUsize,
    /// Lets a create of name "held" finish.
    pub release_held: std::sync::atomic::AtomicBool,
    pub updates: AtomicUsize,
    pub deletes: AtomicUsize,
    pub reads: AtomicUsize,
    pub plans: AtomicUsize,
    pub listed: AtomicUsize,
    pub terraform_version: Mutex<Option<String>>,
    pub last_plan: Mutex<Option<PlanRequest>>,
}

pub struct TestProvider {
    pub calls: Arc<Calls>,
}

impl TestProvider {
    pub fn new() -> Self {
        TestProvider {
            calls: Arc::new(Calls::default()),
        }
    }
}

pub fn attribute(
    name: &str,
    ty: Type,
    required: bool,
    optional: bool,
    computed: bool,
) -> Attribute {
    Attribute {
        name: name.to_string(),
        ty,
        description: format!("The `{name}`."),
        required,
        optional,
        computed,
        sensitive: false,
        write_only: false,
        deprecated: false,
    }
}

/// `test_thing`: `id` computed, `name` required, `size` optional number, `token` optional
/// sensitive, `zone` optional+computed, `tags` optional map of strings.
pub fn thing_schema() -> Schema {
    let mut token = attribute("token", Type::String, false, true, false);
    token.sensitive = true;
    Schema {
        version: THING_VERSION,
        block: Block {
            attributes: vec![
                attribute("id", Type::String, false, false, true),
                attribute("name", Type::String, true, false, false),
                attribute("size", Type::Number, false, true, false),
                token,
                attribute("zone", Type::String, false, true, true),
                attribute("tags", Type::map(Type::String), false, true, false),
            ],
            description: "A thing for tests.".to_string(),
            ..Block::default()
        },
    }
}

pub fn thing_type() -> Type {
    thing_schema().value_type()
}

pub fn identity_type() -> Type {
    Type::object([("id", Type::String)])
}

/// A `test_thing` object; `None` attributes are null.
pub fn thing(id: Option<&str>, name: &str, zone: Option<&str>) -> Value {
    Value::object([
        ("id", id.map(Value::string).unwrap_or(Value::Null)),
        ("name", Value::string(name)),
        ("size", Value::Null),
        ("token", Value::Null),
        ("zone", zone.map(Value::string).unwrap_or(Value::Null)),
        ("tags", Value::Null),
    ])
}

pub fn identity_of(id: &str) -> Value {
    Value::object([("id", Value::string(id))])
}

fn set(value: &mut Value, name: &str, new: Value) {
    if let Value::Object(attributes) = value {
        attributes.insert(name.to_string(), new);
    }
}

struct Thing {
    calls: Arc<Calls>,
}

#[async_trait]
impl Resource for Thing {
    fn type_name(&self) -> &'static str {
        "test_thing"
    }

    fn schema(&self) -> Schema {
        thing_schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema {
            version: 1,
            attributes: vec![IdentityAttribute {
                name: "id".to_string(),
                ty: Type::String,
                description: "The thing's ID.".to_string(),
                required_for_import: true,
                optional_for_import: false,
            }],
        })
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if config.attr_str("name") == Some("") {
            diagnostics.attribute_error(AttributePath::root("name"), "Empty name", "Name it.");
        }
        diagnostics
    }

    /// Renaming replaces; on create the zone defaults to "home" when unset.
    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        self.calls.plans.fetch_add(1, Ordering::SeqCst);
        *self.calls.last_plan.lock().expect("lock") = Some(request.clone());
        panic_on(request.config.attr_str("name"), "plan");
        match &request.prior_state {
            None => {
                if request.config.get_attr("zone").is_some_and(Value::is_null) {
                    set(&mut plan.planned_state, "zone", Value::string("home"));
                }
            }
            Some(prior) => {
                if prior.get_attr("name") != plan.planned_state.get_attr("name") {
                    plan.requires_replace.push(AttributePath::root("name"));
                }
            }
        }
    }

    async fn create(&self, request: CreateRequest, response: &mut ApplyResponse) {
        self.calls.creates.fetch_add(1, Ordering::SeqCst);
        panic_on(request.planned_state.attr_str("name"), "create");
        match request.planned_state.attr_str("name") {
            // A write already sent: its answer comes only after Terraform asked to stop.
            Some("slow") => {
                while !tfplugin_framework::stop_requested() {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            }
            // A write that finishes when the test says so.
            Some("held") => {
                while !self.calls.release_held.load(Ordering::SeqCst) {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            }
            _ => {}
        }
        let name = request.planned_state.attr_str("name").map(str::to_owned);
        let id = format!("thing-{}", name.as_deref().unwrap_or("?"));
        let mut state = request.planned_state;
        set(&mut state, "id", Value::string(&id));
        self.calls.creates_finished.fetch_add(1, Ordering::SeqCst);
        if name.as_deref() == Some("forgetful") {
            // A bug: succeeds without saying what exists.
            return;
        }
        response.new_state = state;
        response.private = b"{\"created\":true}".to_vec();
        response.new_identity = Some(identity_of(&id));
        if name.as_deref() == Some("half") {
            // Created, then a later step failed: what exists is already in the response.
            response
                .diagnostics
                .error("Second step failed", "Created, but not finished.");
        }
    }

    async fn read(&self, request: ReadRequest, response: &mut ReadResponse) {
        self.calls.reads.fetch_add(1, Ordering::SeqCst);
        panic_on(request.current_state.attr_str("name"), "read");
        if request.current_state.attr_str("name") == Some("slow") {
            std::future::pending::<()>().await;
        }
        match request.current_state.attr_str("name") {
            Some("gone") => response.remove(),
            Some("unreadable") => response.diagnostics.error("Read failed", "Try again."),
            _ => {}
        }
    }

    async fn update(&self, request: UpdateRequest, response: &mut ApplyResponse) {
        self.calls.updates.fetch_add(1, Ordering::SeqCst);
        if request.planned_state.attr_str("zone") == Some("refused") {
            // Nothing changed: the response still holds the prior state.
            return response
                .diagnostics
                .error("Update refused", "Nothing changed.");
        }
        response.new_state = request.planned_state;
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        self.calls.deletes.fetch_add(1, Ordering::SeqCst);
        let mut diagnostics = Diagnostics::default();
        if request.prior_state.attr_str("name") == Some("undeletable") {
            diagnostics.error("Cannot delete", "It is stuck.");
        }
        diagnostics
    }

    async fn import(&self, request: ImportRequest) -> ImportResult {
        let id = match (&request.id, &request.identity) {
            (Some(id), _) => id.clone(),
            (None, Some(identity)) => identity.attr_str("id").unwrap_or_default().to_string(),
            (None, None) => String::new(),
        };
        ImportResult {
            imported: vec![ImportedResource {
                state: thing(Some(&id), "imported", Some("home")),
                private: Vec::new(),
                identity: Some(identity_of(&id)),
            }],
            diagnostics: Diagnostics::default(),
        }
    }

    /// Version 1 stored `title` instead of `name`.
    async fn upgrade_state(&self, version: i64, raw_json: &[u8]) -> Result<Value, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let raw: serde_json::Value = serde_json::from_slice(raw_json).unwrap_or_default();
        if version != 1 {
            diagnostics.error("Too old", format!("Version {version} is not supported."));
            return Err(diagnostics);
        }
        let text = |name: &str| raw.get(name).and_then(|v| v.as_str()).map(str::to_string);
        let mut state = thing(
            text("id").as_deref(),
            &text("title").unwrap_or_default(),
            None,
        );
        set(
            &mut state,
            "zone",
            text("zone").map(Value::string).unwrap_or(Value::Null),
        );
        Ok(state)
    }
}

struct Lookup;

#[async_trait]
impl DataSource for Lookup {
    fn type_name(&self) -> &'static str {
        "test_lookup"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    attribute("name", Type::String, true, false, false),
                    attribute("id", Type::String, false, false, true),
                ],
                ..Block::default()
            },
        }
    }

    async fn read(&self, config: Value) -> (Option<Value>, Diagnostics) {
        let name = config.attr_str("name").unwrap_or_default().to_string();
        let mut diagnostics = Diagnostics::default();
        if name == "missing" {
            diagnostics.attribute_error(AttributePath::root("name"), "Not found", "No such thing.");
            return (None, diagnostics);
        }
        let state = Value::object([
            ("name", Value::string(&name)),
            ("id", Value::string(format!("thing-{name}"))),
        ]);
        (Some(state), diagnostics)
    }
}

struct ThingList {
    calls: Arc<Calls>,
}

#[async_trait]
impl ListResource for ThingList {
    fn type_name(&self) -> &'static str {
        "test_thing"
    }

    fn config_schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![attribute("prefix", Type::String, false, true, false)],
                ..Block::default()
            },
        }
    }

    /// Streams [`LISTED`] things, counting each one Terraform accepted.
    async fn list(&self, request: ListRequest, sink: ListSink) -> Diagnostics {
        let prefix = request
            .config
            .attr_str("prefix")
            .unwrap_or("thing")
            .to_string();
        for index in 0..LISTED {
            let id = format!("{prefix}-{index}");
            let event = ListEvent {
                identity: identity_of(&id),
                display_name: format!("Thing {index}"),
                resource_object: request
                    .include_resource
                    .then(|| thing(Some(&id), &format!("Thing {index}"), Some("home"))),
                diagnostics: Diagnostics::default(),
            };
            if !sink.send(event).await {
                break;
            }
            self.calls.listed.fetch_add(1, Ordering::SeqCst);
            if index == 1 {
                panic_on(Some(&prefix), "list");
            }
        }
        Diagnostics::default()
    }
}

struct Notify;

#[async_trait]
impl Action for Notify {
    fn type_name(&self) -> &'static str {
        "test_notify"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![attribute("message", Type::String, true, false, false)],
                ..Block::default()
            },
        }
    }

    async fn plan(&self, request: ActionRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if request.config.attr_str("message") == Some("") {
            diagnostics.attribute_error(AttributePath::root("message"), "Empty message", "");
        }
        diagnostics
    }

    async fn invoke(&self, request: ActionRequest, progress: ProgressSink) -> Diagnostics {
        let message = request
            .config
            .attr_str("message")
            .unwrap_or_default()
            .to_string();
        for step in 1..=3 {
            progress.progress(format!("step {step}: {message}")).await;
            panic_on(Some(&message), "invoke");
        }
        let mut diagnostics = Diagnostics::default();
        diagnostics.warning("Notified", "Everyone was told.");
        diagnostics
    }
}

#[async_trait]
impl Provider for TestProvider {
    fn schema(&self) -> Schema {
        let mut secret = attribute("secret", Type::String, false, true, false);
        secret.sensitive = true;
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    attribute("endpoint", Type::String, false, true, false),
                    secret,
                ],
                description: "The **test** provider.".to_string(),
                ..Block::default()
            },
        }
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(endpoint) = config.attr_str("endpoint")
            && !endpoint.starts_with("http")
        {
            diagnostics.attribute_error(
                AttributePath::root("endpoint"),
                "Invalid endpoint",
                "Use an http(s) URL.",
            );
        }
        diagnostics
    }

    async fn configure(&self, request: ConfigureRequest) -> ConfigureResponse {
        *self.calls.terraform_version.lock().expect("lock") = Some(request.terraform_version);
        // An unknown endpoint means the provider cannot work yet: it asks to be deferred.
        let deferred = request
            .config
            .get_attr("endpoint")
            .is_some_and(Value::is_unknown)
            .then_some(DeferredReason::ProviderConfigUnknown);
        ConfigureResponse {
            diagnostics: Diagnostics::default(),
            deferred,
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Thing {
            calls: Arc::clone(&self.calls),
        })]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(Lookup)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(ThingList {
            calls: Arc::clone(&self.calls),
        })]
    }

    fn actions(&self) -> Vec<Arc<dyn Action>> {
        vec![Arc::new(Notify)]
    }
}
