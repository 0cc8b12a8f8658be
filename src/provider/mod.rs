//! The Genesys Cloud provider: configuration schema, validation, the settings resources use,
//! and the types it offers.

mod config;
mod genesys_provider;
mod schema;
mod secret;
mod settings;
mod validate;

pub mod client;

use std::sync::Arc;

pub use config::{Field, ProviderConfig};
pub use genesys_provider::GenesysProvider;
pub use schema::{SETTINGS, Setting, SettingKind, provider_schema};
pub use secret::Secret;
pub use settings::{
    Credentials, EnvLookup, MissingCredentials, NotConfigured, ProviderSettings, SharedSettings,
    process_env, resolve,
};
pub use validate::{SettingError, validate_config};

use tfplugin_framework::Provider;

/// The provider instance the plugin binary serves.
pub fn new() -> Arc<dyn Provider> {
    Arc::new(GenesysProvider::new())
}
