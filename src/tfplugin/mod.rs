//! The Terraform plugin protocol (tfplugin6) core: schema, diagnostics, the traits that
//! resources, data sources, list resources and actions implement, and the gRPC server that
//! dispatches RPCs to them by type name. Knows nothing of Genesys.

pub mod action;
pub mod data_source;
pub mod diagnostics;
pub mod list_resource;
pub mod provider;
pub mod resource;
pub mod schema;

pub use action::{Action, ActionRequest, ProgressSink};
pub use data_source::DataSource;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use list_resource::{ListEvent, ListRequest, ListResource, ListSink};
pub use provider::{ConfigureRequest, Provider};
pub use resource::{
    ApplyResult, CreateRequest, DeleteRequest, ImportRequest, ImportResult, ImportedResource,
    PlanRequest, PlanResponse, ReadRequest, ReadResult, Resource, UpdateRequest,
};
pub use schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, Nesting, Schema,
};
