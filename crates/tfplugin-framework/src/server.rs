//! The tfplugin6 gRPC server: answers every RPC of protocol 6.11 (Terraform 1.16, a superset
//! of the 6.10 of Terraform 1.13 to 1.15) by dispatching to the [`Provider`]'s types by name.
//! Resource-level logic lives in `resource_rpcs.rs`, the streaming RPCs in `streams.rs`; this
//! file holds the service and provider-level RPCs.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_util::Stream;
use tonic::{Request, Response, Status, Streaming};

use crate::cty::{Type, Value};

use super::convert::{
    decode_value, diagnostics_to_proto, encode_value, identity_schema_to_proto, schema_to_proto,
    value_error,
};
use super::panics::catching;
use super::registry::Registry;
use super::stop::{CancellationToken, Cancelled, StopSignal, WriteRunning, cancelled};
use super::{ConfigureRequest, DeferredReason, Diagnostics, Provider, Workload};
use crate::tfplugin6 as proto;
use crate::tfplugin6::provider_server::{Provider as ProviderRpc, ProviderServer};

/// Largest message accepted or sent; Terraform's own limit for schemas is 64 MiB.
pub const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// A server-streaming RPC's response stream.
pub type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// The gRPC face of a [`Provider`]: owns the type maps built once at start and the
/// StopProvider signal.
pub struct GrpcProvider {
    pub(super) provider: Arc<dyn Provider>,
    pub(super) registry: Arc<Registry>,
    pub(super) stop: StopSignal,
    schema: proto::get_provider_schema::Response,
    /// What the last `ConfigureProvider` asked to defer, if anything.
    deferred: Arc<std::sync::RwLock<Option<DeferredReason>>>,
    /// The RPCs in flight, handed to the provider at configure.
    pub(super) workload: Workload,
}

impl GrpcProvider {
    /// Builds the type maps and the schema answer for `provider`.
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        let registry = Arc::new(Registry::new(provider.as_ref()));
        let schema = schema_response(&registry);
        GrpcProvider {
            provider,
            registry,
            stop: StopSignal::default(),
            schema,
            deferred: Arc::default(),
            workload: Workload::default(),
        }
    }

    /// The `deferred` answer for a plan-time call, when the provider asked to defer at
    /// configure time and this request's capabilities allow it.
    pub(super) fn deferral(
        &self,
        capabilities: Option<&proto::ClientCapabilities>,
    ) -> Option<proto::Deferred> {
        if !capabilities.is_some_and(|c| c.deferral_allowed) {
            return None;
        }
        let reason = (*self
            .deferred
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner))?;
        let reason = match reason {
            DeferredReason::ResourceConfigUnknown => proto::deferred::Reason::ResourceConfigUnknown,
            DeferredReason::ProviderConfigUnknown => proto::deferred::Reason::ProviderConfigUnknown,
            DeferredReason::AbsentPrereq => proto::deferred::Reason::AbsentPrereq,
        };
        Some(proto::Deferred {
            reason: reason as i32,
        })
    }

    /// The tonic service, with message size limits raised to [`MAX_MESSAGE_SIZE`].
    pub fn into_service(self) -> ProviderServer<GrpcProvider> {
        ProviderServer::new(self)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE)
    }

    /// Runs an RPC's work, racing it against StopProvider; errors, and a panic, become the
    /// response's diagnostics.
    async fn guarded<R: WithDiagnostics>(
        &self,
        rpc: &'static str,
        work: impl Future<Output = Result<R, Diagnostics>>,
    ) -> Result<Response<R>, Status> {
        self.guarded_with(rpc, &self.stop.token(), work).await
    }

    /// [`GrpcProvider::guarded`] for work that carries `cancel` in its request: the race
    /// and the work's own waits end on the same stop.
    async fn guarded_with<R: WithDiagnostics>(
        &self,
        rpc: &'static str,
        cancel: &CancellationToken,
        work: impl Future<Output = Result<R, Diagnostics>>,
    ) -> Result<Response<R>, Status> {
        tracing::debug!(rpc, "handling RPC");
        let _running = self.workload.start();
        let response = match StopSignal::run(cancel, catching(rpc, work)).await {
            Ok(Ok(response)) => response,
            Ok(Err(diagnostics)) => R::from_diagnostics(diagnostics_to_proto(&diagnostics)),
            Err(Cancelled) => {
                tracing::info!(rpc, "operation cancelled by StopProvider");
                R::from_diagnostics(diagnostics_to_proto(&cancelled(rpc)))
            }
        };
        Ok(Response::new(response))
    }

    /// Runs a write RPC's work to completion in its own task, whatever happens to the call:
    /// StopProvider does not abandon it (the work's request carries the stop's token, which
    /// ends its waits, so it sends nothing new), and when Terraform
    /// cancels the call or goes away (tonic then drops this future) the task still finishes
    /// and logs what it did, so a change that reached the platform is never left half done.
    /// A panic in the work is answered as an error diagnostic.
    async fn guarded_write<R>(
        &self,
        rpc: &'static str,
        work: impl Future<Output = Result<(R, String), Diagnostics>> + Send + 'static,
    ) -> Result<Response<R>, Status>
    where
        R: WithDiagnostics + Send + 'static,
    {
        tracing::debug!(rpc, "handling RPC");
        let operation = self.workload.start();
        let (answer, answered) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let _running = (WriteRunning::start(), operation);
            let (response, outcome) = match catching(rpc, work).await {
                Ok(done) => done,
                Err(diagnostics) => {
                    let outcome = format!("failed: {}", summarize(&diagnostics));
                    (
                        R::from_diagnostics(diagnostics_to_proto(&diagnostics)),
                        outcome,
                    )
                }
            };
            if answer.send(response).is_err() {
                tracing::warn!(
                    rpc,
                    %outcome,
                    "Terraform stopped waiting for this call; it finished anyway"
                );
            }
        });
        match answered.await {
            Ok(response) => Ok(Response::new(response)),
            Err(_) => {
                let mut diagnostics = Diagnostics::default();
                diagnostics.error(
                    "Provider error",
                    format!(
                        "{rpc} ended without an answer (the provider's task failed). This is a \
                         bug in the provider; run `terraform plan` to see the platform's state."
                    ),
                );
                Ok(Response::new(R::from_diagnostics(diagnostics_to_proto(
                    &diagnostics,
                ))))
            }
        }
    }

    fn server_capabilities() -> proto::ServerCapabilities {
        proto::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: false,
            generate_resource_config: true,
        }
    }
}

/// The error summaries of `diagnostics`, for a log line.
pub(super) fn summarize(diagnostics: &Diagnostics) -> String {
    let errors: Vec<&str> = diagnostics
        .0
        .iter()
        .filter(|d| d.severity == super::Severity::Error)
        .map(|d| d.summary.as_str())
        .collect();
    if errors.is_empty() {
        "no errors".to_owned()
    } else {
        errors.join("; ")
    }
}

/// Decodes a value Terraform sent, turning failures into a diagnostic naming `what`.
pub(super) fn decode(
    what: &str,
    value: Option<&proto::DynamicValue>,
    ty: &Type,
) -> Result<Value, Diagnostics> {
    decode_value(value, ty).map_err(|error| value_error(what, &error))
}

/// Encodes a value for Terraform, turning failures into a diagnostic naming `what`.
pub(super) fn encode(
    what: &str,
    value: &Value,
    ty: &Type,
) -> Result<proto::DynamicValue, Diagnostics> {
    encode_value(value, ty).map_err(|error| value_error(what, &error))
}

fn schema_response(registry: &Registry) -> proto::get_provider_schema::Response {
    let schemas = |entries: Vec<(&String, &super::Schema)>| {
        entries
            .into_iter()
            .map(|(name, schema)| (name.clone(), schema_to_proto(schema)))
            .collect()
    };
    proto::get_provider_schema::Response {
        provider: Some(schema_to_proto(&registry.provider_schema)),
        resource_schemas: schemas(
            registry
                .resources
                .iter()
                .map(|(n, e)| (n, &e.schema))
                .collect(),
        ),
        data_source_schemas: schemas(
            registry
                .data_sources
                .iter()
                .map(|(n, e)| (n, &e.schema))
                .collect(),
        ),
        list_resource_schemas: schemas(
            registry.lists.iter().map(|(n, e)| (n, &e.schema)).collect(),
        ),
        action_schemas: registry
            .actions
            .iter()
            .map(|(name, entry)| {
                let schema = Some(schema_to_proto(&entry.schema));
                (name.clone(), proto::ActionSchema { schema })
            })
            .collect(),
        diagnostics: diagnostics_to_proto(&registry.problems),
        server_capabilities: Some(GrpcProvider::server_capabilities()),
        ..Default::default()
    }
}

/// Responses that can carry diagnostics, so any RPC failure can be answered in-band.
pub(super) trait WithDiagnostics: Default {
    fn from_diagnostics(diagnostics: Vec<proto::Diagnostic>) -> Self;
}

macro_rules! with_diagnostics {
    ($($response:ty),* $(,)?) => {$(
        impl WithDiagnostics for $response {
            #[allow(clippy::needless_update)]
            fn from_diagnostics(diagnostics: Vec<proto::Diagnostic>) -> Self {
                Self { diagnostics, ..Default::default() }
            }
        }
    )*};
}

with_diagnostics!(
    proto::get_metadata::Response,
    proto::get_provider_schema::Response,
    proto::validate_provider_config::Response,
    proto::validate_resource_config::Response,
    proto::validate_data_resource_config::Response,
    proto::upgrade_resource_state::Response,
    proto::get_resource_identity_schemas::Response,
    proto::upgrade_resource_identity::Response,
    proto::configure_provider::Response,
    proto::read_resource::Response,
    proto::plan_resource_change::Response,
    proto::apply_resource_change::Response,
    proto::import_resource_state::Response,
    proto::move_resource_state::Response,
    proto::read_data_source::Response,
    proto::generate_resource_config::Response,
    proto::validate_ephemeral_resource_config::Response,
    proto::open_ephemeral_resource::Response,
    proto::renew_ephemeral_resource::Response,
    proto::close_ephemeral_resource::Response,
    proto::validate_list_resource_config::Response,
    proto::get_functions::Response,
    proto::validate_state_store::Response,
    proto::configure_state_store::Response,
    proto::read_state_bytes::Response,
    proto::write_state_bytes::Response,
    proto::lock_state::Response,
    proto::unlock_state::Response,
    proto::get_states::Response,
    proto::delete_state::Response,
    proto::plan_action::Response,
    proto::validate_action_config::Response,
);

/// The error for a feature this provider does not offer (answered in-band, never as a
/// transport error).
pub(super) fn unsupported(feature: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        format!("{feature} not supported"),
        format!("{feature} is not supported by this provider."),
    );
    diagnostics
}

async fn refuse<R: WithDiagnostics>(feature: String) -> Result<R, Diagnostics> {
    Err(unsupported(&feature))
}

#[tonic::async_trait]
impl ProviderRpc for GrpcProvider {
    async fn get_metadata(
        &self,
        _request: Request<proto::get_metadata::Request>,
    ) -> Result<Response<proto::get_metadata::Response>, Status> {
        use proto::get_metadata as m;
        let registry = &self.registry;
        self.guarded("GetMetadata", async {
            Ok(m::Response {
                server_capabilities: Some(Self::server_capabilities()),
                diagnostics: diagnostics_to_proto(&registry.problems),
                data_sources: registry
                    .data_sources
                    .keys()
                    .map(|type_name| m::DataSourceMetadata {
                        type_name: type_name.clone(),
                    })
                    .collect(),
                resources: registry
                    .resources
                    .keys()
                    .map(|type_name| m::ResourceMetadata {
                        type_name: type_name.clone(),
                    })
                    .collect(),
                list_resources: registry
                    .lists
                    .keys()
                    .map(|type_name| m::ListResourceMetadata {
                        type_name: type_name.clone(),
                    })
                    .collect(),
                actions: registry
                    .actions
                    .keys()
                    .map(|type_name| m::ActionMetadata {
                        type_name: type_name.clone(),
                    })
                    .collect(),
                ..Default::default()
            })
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _request: Request<proto::get_provider_schema::Request>,
    ) -> Result<Response<proto::get_provider_schema::Response>, Status> {
        self.guarded("GetProviderSchema", async { Ok(self.schema.clone()) })
            .await
    }

    async fn validate_provider_config(
        &self,
        request: Request<proto::validate_provider_config::Request>,
    ) -> Result<Response<proto::validate_provider_config::Response>, Status> {
        let request = request.into_inner();
        self.guarded("ValidateProviderConfig", async {
            let config = decode(
                "provider configuration",
                request.config.as_ref(),
                &self.registry.provider_ty,
            )?;
            let diagnostics = self.provider.validate_config(&config).await;
            Ok(proto::validate_provider_config::Response {
                diagnostics: diagnostics_to_proto(&diagnostics),
            })
        })
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<proto::configure_provider::Request>,
    ) -> Result<Response<proto::configure_provider::Response>, Status> {
        let request = request.into_inner();
        self.guarded("ConfigureProvider", async {
            let config = decode(
                "provider configuration",
                request.config.as_ref(),
                &self.registry.provider_ty,
            )?;
            let deferral_allowed = request
                .client_capabilities
                .as_ref()
                .is_some_and(|c| c.deferral_allowed);
            let configured = self
                .provider
                .configure(ConfigureRequest {
                    terraform_version: request.terraform_version,
                    config,
                    deferral_allowed,
                    workload: self.workload.clone(),
                    cancel: self.stop.token(),
                })
                .await;
            *self
                .deferred
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = configured.deferred;
            Ok(proto::configure_provider::Response {
                diagnostics: diagnostics_to_proto(&configured.diagnostics),
            })
        })
        .await
    }

    async fn stop_provider(
        &self,
        _request: Request<proto::stop_provider::Request>,
    ) -> Result<Response<proto::stop_provider::Response>, Status> {
        tracing::info!(rpc = "StopProvider", "cancelling in-flight operations");
        self.stop.stop();
        Ok(Response::new(proto::stop_provider::Response::default()))
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<proto::get_resource_identity_schemas::Request>,
    ) -> Result<Response<proto::get_resource_identity_schemas::Response>, Status> {
        self.guarded("GetResourceIdentitySchemas", async {
            Ok(proto::get_resource_identity_schemas::Response {
                identity_schemas: self
                    .registry
                    .resources
                    .iter()
                    .filter_map(|(name, entry)| {
                        let (schema, _) = entry.identity.as_ref()?;
                        Some((name.clone(), identity_schema_to_proto(schema)))
                    })
                    .collect(),
                diagnostics: Vec::new(),
            })
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<proto::validate_resource_config::Request>,
    ) -> Result<Response<proto::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        self.guarded(
            "ValidateResourceConfig",
            self.validate_resource_config(request),
        )
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<proto::validate_data_resource_config::Request>,
    ) -> Result<Response<proto::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        self.guarded("ValidateDataResourceConfig", async {
            let entry = self.registry.data_source(&request.type_name)?;
            let config = decode("configuration", request.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.data_source.validate(&config).await;
            Ok(proto::validate_data_resource_config::Response {
                diagnostics: diagnostics_to_proto(&diagnostics),
            })
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<proto::upgrade_resource_state::Request>,
    ) -> Result<Response<proto::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        self.guarded("UpgradeResourceState", self.upgrade_resource_state(request))
            .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<proto::upgrade_resource_identity::Request>,
    ) -> Result<Response<proto::upgrade_resource_identity::Response>, Status> {
        let request = request.into_inner();
        self.guarded(
            "UpgradeResourceIdentity",
            self.upgrade_resource_identity(request),
        )
        .await
    }

    async fn read_resource(
        &self,
        request: Request<proto::read_resource::Request>,
    ) -> Result<Response<proto::read_resource::Response>, Status> {
        let request = request.into_inner();
        let cancel = self.stop.token();
        self.guarded_with(
            "ReadResource",
            &cancel,
            self.read_resource(request, cancel.clone()),
        )
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<proto::plan_resource_change::Request>,
    ) -> Result<Response<proto::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let cancel = self.stop.token();
        self.guarded_with(
            "PlanResourceChange",
            &cancel,
            self.plan_resource_change(request, cancel.clone()),
        )
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<proto::apply_resource_change::Request>,
    ) -> Result<Response<proto::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let registry = Arc::clone(&self.registry);
        self.guarded_write(
            "ApplyResourceChange",
            Self::apply_resource_change(registry, request, self.stop.token()),
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<proto::import_resource_state::Request>,
    ) -> Result<Response<proto::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let cancel = self.stop.token();
        self.guarded_with(
            "ImportResourceState",
            &cancel,
            self.import_resource_state(request, cancel.clone()),
        )
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<proto::move_resource_state::Request>,
    ) -> Result<Response<proto::move_resource_state::Response>, Status> {
        let target = request.into_inner().target_type_name;
        self.guarded(
            "MoveResourceState",
            refuse(format!("Moving resource state (into {target})")),
        )
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<proto::read_data_source::Request>,
    ) -> Result<Response<proto::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let cancel = self.stop.token();
        self.guarded_with(
            "ReadDataSource",
            &cancel,
            self.read_data_source(request, cancel.clone()),
        )
        .await
    }

    async fn generate_resource_config(
        &self,
        request: Request<proto::generate_resource_config::Request>,
    ) -> Result<Response<proto::generate_resource_config::Response>, Status> {
        let request = request.into_inner();
        self.guarded(
            "GenerateResourceConfig",
            self.generate_resource_config(request),
        )
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<proto::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<proto::validate_ephemeral_resource_config::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded(
            "ValidateEphemeralResourceConfig",
            refuse(format!("Ephemeral resource {name}")),
        )
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<proto::open_ephemeral_resource::Request>,
    ) -> Result<Response<proto::open_ephemeral_resource::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded(
            "OpenEphemeralResource",
            refuse(format!("Ephemeral resource {name}")),
        )
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<proto::renew_ephemeral_resource::Request>,
    ) -> Result<Response<proto::renew_ephemeral_resource::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded(
            "RenewEphemeralResource",
            refuse(format!("Ephemeral resource {name}")),
        )
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<proto::close_ephemeral_resource::Request>,
    ) -> Result<Response<proto::close_ephemeral_resource::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded(
            "CloseEphemeralResource",
            refuse(format!("Ephemeral resource {name}")),
        )
        .await
    }

    type ListResourceStream = EventStream<proto::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<proto::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        tracing::debug!(rpc = "ListResource", "handling RPC");
        Ok(Response::new(self.list_resource(request.into_inner())))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<proto::validate_list_resource_config::Request>,
    ) -> Result<Response<proto::validate_list_resource_config::Response>, Status> {
        let request = request.into_inner();
        self.guarded("ValidateListResourceConfig", async {
            let entry = self.registry.list(&request.type_name)?;
            let config = decode("list configuration", request.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.list.validate(&config).await;
            Ok(proto::validate_list_resource_config::Response {
                diagnostics: diagnostics_to_proto(&diagnostics),
            })
        })
        .await
    }

    async fn get_functions(
        &self,
        _request: Request<proto::get_functions::Request>,
    ) -> Result<Response<proto::get_functions::Response>, Status> {
        // The provider offers no functions: an empty map is the complete, correct answer.
        self.guarded("GetFunctions", async {
            Ok(proto::get_functions::Response::default())
        })
        .await
    }

    async fn call_function(
        &self,
        request: Request<proto::call_function::Request>,
    ) -> Result<Response<proto::call_function::Response>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(proto::call_function::Response {
            result: None,
            error: Some(proto::FunctionError {
                text: format!("Function {name} is not supported by this provider."),
                function_argument: None,
            }),
        }))
    }

    async fn validate_state_store_config(
        &self,
        request: Request<proto::validate_state_store::Request>,
    ) -> Result<Response<proto::validate_state_store::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded(
            "ValidateStateStoreConfig",
            refuse(format!("State store {name}")),
        )
        .await
    }

    async fn configure_state_store(
        &self,
        request: Request<proto::configure_state_store::Request>,
    ) -> Result<Response<proto::configure_state_store::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded("ConfigureStateStore", refuse(format!("State store {name}")))
            .await
    }

    type ReadStateBytesStream = EventStream<proto::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        request: Request<proto::read_state_bytes::Request>,
    ) -> Result<Response<Self::ReadStateBytesStream>, Status> {
        let name = request.into_inner().type_name;
        let answer = proto::read_state_bytes::Response {
            diagnostics: diagnostics_to_proto(&unsupported(&format!("State store {name}"))),
            ..Default::default()
        };
        Ok(Response::new(Box::pin(futures_util::stream::iter([Ok(
            answer,
        )]))))
    }

    async fn write_state_bytes(
        &self,
        _request: Request<Streaming<proto::write_state_bytes::RequestChunk>>,
    ) -> Result<Response<proto::write_state_bytes::Response>, Status> {
        self.guarded("WriteStateBytes", refuse("State stores".to_string()))
            .await
    }

    async fn lock_state(
        &self,
        request: Request<proto::lock_state::Request>,
    ) -> Result<Response<proto::lock_state::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded("LockState", refuse(format!("State store {name}")))
            .await
    }

    async fn unlock_state(
        &self,
        request: Request<proto::unlock_state::Request>,
    ) -> Result<Response<proto::unlock_state::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded("UnlockState", refuse(format!("State store {name}")))
            .await
    }

    async fn get_states(
        &self,
        request: Request<proto::get_states::Request>,
    ) -> Result<Response<proto::get_states::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded("GetStates", refuse(format!("State store {name}")))
            .await
    }

    async fn delete_state(
        &self,
        request: Request<proto::delete_state::Request>,
    ) -> Result<Response<proto::delete_state::Response>, Status> {
        let name = request.into_inner().type_name;
        self.guarded("DeleteState", refuse(format!("State store {name}")))
            .await
    }

    async fn plan_action(
        &self,
        request: Request<proto::plan_action::Request>,
    ) -> Result<Response<proto::plan_action::Response>, Status> {
        let request = request.into_inner();
        let cancel = self.stop.token();
        self.guarded_with("PlanAction", &cancel, async {
            let entry = self.registry.action(&request.action_type)?;
            let config = decode("action configuration", request.config.as_ref(), &entry.ty)?;
            if let Some(deferred) = self.deferral(request.client_capabilities.as_ref()) {
                return Ok(proto::plan_action::Response {
                    diagnostics: Vec::new(),
                    deferred: Some(deferred),
                });
            }
            let diagnostics = entry
                .action
                .plan(super::ActionRequest {
                    config,
                    cancel: cancel.clone(),
                })
                .await;
            Ok(proto::plan_action::Response {
                diagnostics: diagnostics_to_proto(&diagnostics),
                deferred: None,
            })
        })
        .await
    }

    type InvokeActionStream = EventStream<proto::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<proto::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        tracing::debug!(rpc = "InvokeAction", "handling RPC");
        Ok(Response::new(self.invoke_action(request.into_inner())))
    }

    async fn validate_action_config(
        &self,
        request: Request<proto::validate_action_config::Request>,
    ) -> Result<Response<proto::validate_action_config::Response>, Status> {
        let request = request.into_inner();
        self.guarded("ValidateActionConfig", async {
            let entry = self.registry.action(&request.type_name)?;
            let config = decode("action configuration", request.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.action.validate(&config).await;
            Ok(proto::validate_action_config::Response {
                diagnostics: diagnostics_to_proto(&diagnostics),
            })
        })
        .await
    }
}
