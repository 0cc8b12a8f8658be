//! A second provider on the framework, to show it is generic: `nulllike`, whose one resource
//! `nulllike_resource` manages nothing outside Terraform, like hashicorp/null's
//! `null_resource`. It has an `input` (changed in place), `triggers` (a change replaces the
//! resource) and a computed random `id`. It depends on nothing but the framework.
//!
//! Build it with `cargo build -p tfplugin-framework --example null_provider` and point a
//! `dev_overrides` entry for `example/nulllike` at `target/debug/examples`, renamed (or
//! linked) as `terraform-provider-nulllike`; `tests/null_provider_cli.rs` does exactly that.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;

use async_trait::async_trait;
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::{
    Action, ApplyResponse, Attribute, Block, ConfigureRequest, ConfigureResponse, CreateRequest,
    DataSource, DeleteRequest, Diagnostics, ListResource, Model, PlanRequest, PlanResponse,
    Provider, ReadRequest, ReadResponse, Resource, Schema, TfValue, UpdateRequest, attr_name,
    attr_path, tf_model,
};

tf_model! {
    /// Configuration, plan and state of `nulllike_resource`.
    pub struct NullModel {
        /// Random, set at create (computed).
        pub id: TfValue<String>,
        /// Any string; a change is an in-place update.
        pub input: TfValue<String>,
        /// Any map; a change replaces the resource.
        pub triggers: TfValue<BTreeMap<String, TfValue<String>>>,
    }
}

/// The provider: no settings, one resource.
struct NullProvider;

#[async_trait]
impl Provider for NullProvider {
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }

    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }

    async fn configure(&self, _request: ConfigureRequest) -> ConfigureResponse {
        ConfigureResponse::default()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(NullResource)]
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

/// `nulllike_resource`.
struct NullResource;

/// A random ID of 16 hexadecimal digits.
fn random_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

#[async_trait]
impl Resource for NullResource {
    fn type_name(&self) -> &'static str {
        "nulllike_resource"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    Attribute::computed(attr_name!(NullModel.id), Type::String)
                        .description("A random ID."),
                    Attribute::optional(attr_name!(NullModel.input), Type::String)
                        .description("Any string; a change updates the resource in place."),
                    Attribute::optional(attr_name!(NullModel.triggers), Type::map(Type::String))
                        .description("Any map of strings; a change replaces the resource."),
                ],
                description: "A resource that manages nothing outside Terraform.".to_owned(),
                ..Block::default()
            },
        }
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let Some(prior) = &request.prior_state else {
            return; // create: the server made the id unknown
        };
        let (Some(prior), Some(config)) = (
            NullModel::read(prior, &mut plan.diagnostics),
            NullModel::read(&request.config, &mut plan.diagnostics),
        ) else {
            return;
        };
        if config.triggers != prior.triggers {
            plan.requires_replace.push(attr_path!(NullModel.triggers));
        }
    }

    async fn create(&self, request: CreateRequest, response: &mut ApplyResponse) {
        if let Some(mut planned) =
            NullModel::read(&request.planned_state, &mut response.diagnostics)
        {
            planned.id = random_id().into();
            response.new_state = planned.to_value();
        }
    }

    /// Nothing outside Terraform to look at: the state stays as it is.
    async fn read(&self, _request: ReadRequest, _response: &mut ReadResponse) {}

    async fn update(&self, request: UpdateRequest, response: &mut ApplyResponse) {
        response.new_state = request.planned_state;
    }

    async fn delete(&self, _request: DeleteRequest) -> Diagnostics {
        Diagnostics::default()
    }
}

fn main() -> ExitCode {
    tfplugin_framework::host::main(|| Arc::new(NullProvider))
}
