//! The Terraform plugin protocol (tfplugin6) core: schema, diagnostics, the traits that
//! resources, data sources, list resources and actions implement, and the gRPC server that
//! dispatches RPCs to them by type name. Knows nothing of Genesys.

pub mod action;
mod convert;
pub mod data_source;
pub mod diagnostics;
pub mod list_resource;
pub mod model;
pub mod panics;
mod plan;
pub mod proto;
pub mod provider;
mod registry;
pub mod resource;
mod resource_rpcs;
pub mod schema;
pub mod server;
mod stop;
mod streams;
mod upgrade;
mod workload;

pub use action::{Action, ActionRequest, ProgressSink};
pub use data_source::DataSource;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use list_resource::{ListEvent, ListRequest, ListResource, ListSink};
pub use model::{Model, ModelError, TfValue};
pub use provider::{ConfigureRequest, ConfigureResponse, DeferredReason, Provider};
pub use resource::{
    ApplyResult, CreateRequest, DeleteRequest, ImportRequest, ImportResult, ImportedResource,
    PlanRequest, PlanResponse, ReadRequest, ReadResult, Resource, UpdateRequest,
};
pub use schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, Nesting, Schema,
};
pub use server::GrpcProvider;
pub use stop::{StopSignal, StopToken, stop_requested, writes_finished};
pub use workload::{operations_peak, operations_running};
