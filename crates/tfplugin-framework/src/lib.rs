//! A framework for Terraform providers in Rust over the plugin protocol tfplugin6: the cty
//! type system and its codecs ([`cty`]), the go-plugin host ([`host`]: handshake, AutoMTLS,
//! side services, logging), schema, diagnostics, the typed models ([`model`]), the traits that
//! resources, data sources, list resources and actions implement, and the gRPC server that
//! dispatches RPCs to them by type name. It knows nothing of any platform a provider manages.

pub mod cty;
pub mod host;

pub mod action;
mod convert;
pub mod data_source;
pub mod diagnostics;
pub mod list_resource;
pub mod model;
pub mod panics;
mod plan;
pub mod provider;
mod registry;
pub mod resource;
mod resource_rpcs;
pub mod schema;
mod sensitive;
pub mod server;
mod stop;
mod streams;
pub mod tfplugin6;
mod upgrade;
mod workload;

pub use action::{Action, ActionRequest, ProgressSink};
pub use data_source::DataSource;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use list_resource::{ListEvent, ListRequest, ListResource, ListSink};
pub use model::{Model, ModelError, TfValue};
pub use provider::{ConfigureRequest, ConfigureResponse, DeferredReason, Provider};
pub use resource::{
    ApplyResponse, CreateRequest, DeleteRequest, ImportRequest, ImportResult, ImportedResource,
    PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource, UpdateRequest,
};
pub use schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, Nesting, Schema,
};
pub use sensitive::Sensitive;
pub use server::GrpcProvider;
pub use stop::{StopSignal, StopToken, stop_requested, writes_finished};
pub use workload::{operations_peak, operations_running};
