//! The API client the back-fill types (queue lookup, queue codes, conversation search) share:
//! built once per provider process from the settings `ConfigureProvider` resolved.

use std::sync::Arc;

use tokio::sync::OnceCell;

use super::PlatformError;
use crate::genesys::GenesysClient;
use crate::provider::SharedSettings;
use crate::provider::client::build_client;

/// Lazily built, shared API client. Cheap to clone.
#[derive(Clone)]
pub struct ClientHandle {
    settings: SharedSettings,
    built: Arc<OnceCell<GenesysClient>>,
}

impl std::fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientHandle")
            .field("built", &self.built.initialized())
            .finish_non_exhaustive()
    }
}

impl ClientHandle {
    /// A handle that builds the client on first use. A failed build is not remembered.
    pub fn from_settings(settings: SharedSettings) -> Self {
        ClientHandle {
            settings,
            built: Arc::new(OnceCell::new()),
        }
    }

    /// The client, built on first use.
    pub async fn client(&self) -> Result<GenesysClient, PlatformError> {
        self.built
            .get_or_try_init(|| async {
                let settings = self.settings.get().map_err(|_| {
                    PlatformError::NotConfigured(
                        "The provider was used before Terraform configured it; this is a bug \
                         in the provider or Terraform."
                            .into(),
                    )
                })?;
                build_client(&settings)
            })
            .await
            .cloned()
    }
}
