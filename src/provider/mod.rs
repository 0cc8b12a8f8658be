//! The Genesys Cloud provider: its settings (one declaration: model, schema, environment
//! fallback), their validation and resolution, and the types it offers.

mod genesys_provider;
mod model;
mod settings;
mod validate;

pub mod client;

use std::sync::Arc;

pub use genesys_provider::GenesysProvider;
pub use model::{ProviderConfig, SETTINGS, Setting, SettingType, provider_schema};
pub use settings::{
    EnvLookup, MissingCredentials, NotConfigured, ProviderSettings, SharedSettings, process_env,
    resolve,
};
pub use validate::{SettingError, validate_config};

use tfplugin_framework::Provider;

/// The provider instance the plugin binary serves.
pub fn new() -> Arc<dyn Provider> {
    Arc::new(GenesysProvider::new())
}
