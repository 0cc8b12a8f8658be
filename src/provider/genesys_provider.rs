use std::sync::Arc;

use async_trait::async_trait;

use super::client::{build_platform_for, log_in};
use super::model::{ProviderConfig, provider_schema};
use super::settings::{SharedSettings, process_env, resolve};
use super::validate::validate_config;
use crate::actions::conversation_wrapup::ConversationWrapupAction;
use crate::actions::conversation_wrapup_backfill::ConversationWrapupBackfill;
use crate::data_sources::conversations::ConversationsData;
use crate::data_sources::routing_queue::RoutingQueueData;
use crate::data_sources::routing_wrapupcode::RoutingWrapupCodeData;
use crate::list::routing_wrapupcode::RoutingWrapupCodeList;
use crate::platform::{ClientView, QueuesView};
use crate::platform::{ConversationsView, PlatformSlot, WrapupCodeCatalogView};
use crate::resources::conversation_wrapup::ConversationWrapup;
use crate::resources::routing_queue_wrapupcodes::RoutingQueueWrapupCodes;
use crate::resources::routing_wrapupcode::RoutingWrapupCode;
use tfplugin_framework::cty::Value;
use tfplugin_framework::{
    Action, ConfigureRequest, ConfigureResponse, DataSource, DeferredReason, Diagnostics,
    ListResource, Provider, Resource, Schema,
};

/// The Genesys Cloud provider. `configure` resolves the [`SharedSettings`] and builds the
/// process's one [`Platform`](crate::platform::Platform) into the slot every type's view reads.
#[derive(Debug, Default)]
pub struct GenesysProvider {
    settings: SharedSettings,
    platform: PlatformSlot,
}

impl GenesysProvider {
    pub fn new() -> Self {
        GenesysProvider::default()
    }

    /// The handle resources read their settings from once the provider is configured.
    pub fn settings(&self) -> SharedSettings {
        self.settings.clone()
    }

    fn codes(&self) -> WrapupCodeCatalogView {
        WrapupCodeCatalogView::from_slot(self.platform.clone())
    }

    fn conversations(&self) -> ConversationsView {
        ConversationsView::from_slot(self.platform.clone())
    }

    fn client(&self) -> ClientView {
        ClientView::from_slot(self.platform.clone())
    }

    fn queues(&self) -> QueuesView {
        QueuesView::from_slot(self.platform.clone())
    }
}

#[async_trait]
impl Provider for GenesysProvider {
    fn schema(&self) -> Schema {
        provider_schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        match ProviderConfig::decode_block(config) {
            Ok(config) => validate_config(&config),
            Err(diagnostics) => diagnostics,
        }
    }

    async fn configure(&self, request: ConfigureRequest) -> ConfigureResponse {
        let config = match ProviderConfig::decode_block(&request.config) {
            Ok(config) => config,
            Err(diagnostics) => return diagnostics.into(),
        };
        match resolve(&config, &process_env, &request.terraform_version) {
            Ok((settings, warnings)) => {
                tracing::debug!(
                    region = settings.region.name,
                    api_base = %settings.api_base,
                    login_base = %settings.login_base,
                    read_cache = settings.read_cache,
                    "provider configured"
                );
                // Built afresh on every configure: one `--debug` process serves many runs, and
                // each must use its own settings (and start with its own token and cache).
                // With the region, a URL or a credential unknown (a plan before what the
                // provider block depends on exists), the platform is that error: types that
                // need the API report it, and where Terraform allows it everything is
                // deferred instead.
                let unknown = settings.unknown_connection_settings();
                let deferred = (!unknown.is_empty()).then(|| {
                    tracing::info!(
                        ?unknown,
                        deferral_allowed = request.deferral_allowed,
                        "provider settings unknown at plan: no API calls"
                    );
                    DeferredReason::ProviderConfigUnknown
                });
                let platform =
                    build_platform_for(&settings, Some(request.workload), request.cancel.clone());
                let mut diagnostics = warnings;
                if deferred.is_none()
                    && let Err(login_failed) = log_in(&platform, &settings).await
                {
                    diagnostics.extend(login_failed);
                }
                self.platform.set(platform);
                self.settings.set(settings);
                ConfigureResponse {
                    diagnostics,
                    deferred,
                }
            }
            Err(errors) => errors.into(),
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            RoutingWrapupCode::new(self.codes()),
            RoutingQueueWrapupCodes::new(self.queues()),
            ConversationWrapup::new(self.conversations()),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            RoutingWrapupCodeData::new(self.codes()),
            RoutingQueueData::new(self.queues()),
            ConversationsData::new(self.client(), self.conversations()),
        ]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![RoutingWrapupCodeList::new(self.codes())]
    }

    fn actions(&self) -> Vec<Arc<dyn Action>> {
        vec![
            ConversationWrapupAction::new(self.conversations()),
            ConversationWrapupBackfill::new(self.client(), self.conversations()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::support::PlatformDiagnostics;
    use tfplugin_framework::cty::{AttributePath, Refinements};

    fn block(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            super::super::SETTINGS
                .iter()
                .map(|s| {
                    let value = pairs
                        .iter()
                        .find(|(k, _)| *k == s.name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or(Value::Null);
                    (s.name.to_string(), value)
                })
                .collect(),
        )
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime builds without I/O drivers")
            .block_on(future)
    }

    #[test]
    fn validate_config_points_at_the_bad_attribute() {
        let provider = GenesysProvider::new();
        let diagnostics = block_on(
            provider.validate_config(&block(&[("aws_region", Value::String("mars-1".into()))])),
        );
        assert!(diagnostics.has_errors());
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("aws_region"))
        );
    }

    #[test]
    fn validate_config_skips_unknown_values() {
        let provider = GenesysProvider::new();
        let diagnostics = block_on(provider.validate_config(&block(&[(
            "api_url",
            Value::Unknown(Refinements::default()),
        )])));
        assert_eq!(diagnostics, Diagnostics::default());
    }

    #[test]
    fn configure_fills_the_shared_settings() {
        let provider = GenesysProvider::new();
        let handle = provider.settings();
        assert!(handle.get().is_err());
        let diagnostics = block_on(provider.configure(ConfigureRequest {
            terraform_version: "1.15.5".into(),
            config: block(&[
                ("aws_region", Value::String("eu-west-2".into())),
                ("access_token", Value::String("tok".into())),
            ]),
            deferral_allowed: false,
            workload: tfplugin_framework::Workload::default(),
            cancel: tfplugin_framework::CancellationToken::new(),
        }))
        .diagnostics;
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        let settings = handle.get().expect("configured");
        assert_eq!(settings.region.name, "eu-west-2");
        assert!(settings.credentials.is_ok());
    }

    #[test]
    fn unknown_region_defers_and_the_platform_says_so_without_guessing() {
        let provider = GenesysProvider::new();
        let configured = block_on(provider.configure(ConfigureRequest {
            terraform_version: "1.15.5".into(),
            config: block(&[
                ("aws_region", Value::Unknown(Refinements::default())),
                ("access_token", Value::String("tok".into())),
            ]),
            deferral_allowed: true,
            workload: tfplugin_framework::Workload::default(),
            cancel: tfplugin_framework::CancellationToken::new(),
        }));
        assert!(!configured.diagnostics.has_errors(), "{configured:?}");
        assert_eq!(
            configured.deferred,
            Some(DeferredReason::ProviderConfigUnknown)
        );
        let error = match block_on(provider.client().get()) {
            Err(error) => error,
            Ok(_) => panic!("no client may be built for an unknown region"),
        };
        assert_eq!(
            error,
            crate::platform::PlatformError::ConfigUnknown(vec!["aws_region"])
        );
        let detail = &error.diagnostics("plan x").0[0].detail;
        assert!(detail.contains("`aws_region`"), "{detail}");

        // Settings that do not choose the org may be unknown: they fall back harmlessly.
        let configured = block_on(provider.configure(ConfigureRequest {
            terraform_version: "1.15.5".into(),
            config: block(&[
                ("read_cache", Value::Unknown(Refinements::default())),
                ("access_token", Value::String("tok".into())),
            ]),
            deferral_allowed: true,
            workload: tfplugin_framework::Workload::default(),
            cancel: tfplugin_framework::CancellationToken::new(),
        }));
        assert_eq!(configured.deferred, None);
        assert!(block_on(provider.client().get()).is_ok());
    }

    #[test]
    fn configure_refuses_an_insecure_url() {
        let provider = GenesysProvider::new();
        let diagnostics = block_on(provider.configure(ConfigureRequest {
            terraform_version: "1.15.5".into(),
            config: block(&[("login_url", Value::String("http://example.com".into()))]),
            deferral_allowed: false,
            workload: tfplugin_framework::Workload::default(),
            cancel: tfplugin_framework::CancellationToken::new(),
        }))
        .diagnostics;
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("login_url"))
        );
        assert!(provider.settings().get().is_err());
    }
}
