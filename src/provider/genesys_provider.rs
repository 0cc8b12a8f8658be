use std::sync::Arc;

use async_trait::async_trait;

use super::client::ApiHandle;
use super::config::ProviderConfig;
use super::schema::provider_schema;
use super::settings::{SharedSettings, process_env, resolve};
use super::validate::validate_config;
use crate::actions::conversation_wrapup::ConversationWrapupAction;
use crate::cty::Value;
use crate::data_sources::conversations::ConversationsData;
use crate::data_sources::routing_queue::RoutingQueueData;
use crate::data_sources::routing_wrapupcode::RoutingWrapupCodeData;
use crate::list::routing_wrapupcode::RoutingWrapupCodeList;
use crate::resources::conversation_wrapup::ConversationWrapup;
use crate::resources::routing_queue_wrapupcodes::RoutingQueueWrapupCodes;
use crate::resources::routing_wrapupcode::RoutingWrapupCode;
use crate::resources::support::ClientHandle;
use crate::resources::wrapup_apply::ConversationAccess;
use crate::tfplugin::{
    Action, ConfigureRequest, DataSource, Diagnostics, ListResource, Provider, Resource, Schema,
};

/// The Genesys Cloud provider. Types are constructed with a clone of [`SharedSettings`], which
/// `configure` fills in, or of the [`ApiHandle`] built from it.
#[derive(Debug)]
pub struct GenesysProvider {
    settings: SharedSettings,
    api: ApiHandle,
    /// The client the queue and conversation-search types share.
    client: ClientHandle,
}

impl Default for GenesysProvider {
    fn default() -> Self {
        let settings = SharedSettings::default();
        GenesysProvider {
            api: ApiHandle::from_settings(settings.clone()),
            client: ClientHandle::from_settings(settings.clone()),
            settings,
        }
    }
}

impl GenesysProvider {
    pub fn new() -> Self {
        GenesysProvider::default()
    }

    /// The handle resources read their settings from once the provider is configured.
    pub fn settings(&self) -> SharedSettings {
        self.settings.clone()
    }
}

#[async_trait]
impl Provider for GenesysProvider {
    fn schema(&self) -> Schema {
        provider_schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        match ProviderConfig::from_value(config) {
            Ok(config) => validate_config(&config),
            Err(diagnostics) => diagnostics,
        }
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        let config = match ProviderConfig::from_value(&request.config) {
            Ok(config) => config,
            Err(diagnostics) => return diagnostics,
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
                self.settings.set(settings);
                warnings
            }
            Err(errors) => errors,
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            RoutingWrapupCode::new(self.api.clone()),
            RoutingQueueWrapupCodes::new(self.client.clone()),
            ConversationWrapup::new(ConversationAccess::from_settings(self.settings.clone())),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            RoutingWrapupCodeData::new(self.api.clone()),
            RoutingQueueData::new(self.client.clone()),
            ConversationsData::new(self.client.clone()),
        ]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![RoutingWrapupCodeList::new(self.api.clone())]
    }

    fn actions(&self) -> Vec<Arc<dyn Action>> {
        vec![ConversationWrapupAction::new(
            ConversationAccess::from_settings(self.settings.clone()),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::{AttributePath, Refinements};

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
        }));
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        let settings = handle.get().expect("configured");
        assert_eq!(settings.region.name, "eu-west-2");
        assert!(settings.credentials.require().is_ok());
    }

    #[test]
    fn configure_refuses_an_insecure_url() {
        let provider = GenesysProvider::new();
        let diagnostics = block_on(provider.configure(ConfigureRequest {
            terraform_version: "1.15.5".into(),
            config: block(&[("login_url", Value::String("http://example.com".into()))]),
        }));
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("login_url"))
        );
        assert!(provider.settings().get().is_err());
    }
}
