//! The wrap-up code view of the platform the Terraform types are written against: the code
//! as they see it, what they send, and the [`WrapupCodeApi`] seam (implemented over the API
//! client in `provider::client`, and in memory by the unit tests).

use async_trait::async_trait;

use super::PlatformError;
use crate::genesys::read_cache::Cacheable;

/// A wrap-up code as the Terraform types see it. `description` is `None` when the platform
/// holds none or an empty one: the two are the same thing to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupCode {
    pub id: String,
    pub name: String,
    pub division_id: Option<String>,
    pub description: Option<String>,
}

impl Cacheable for WrapupCode {
    fn cache_id(&self) -> &str {
        &self.id
    }
}

/// What create and update send: `division_id: None` lets the platform pick the home division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupCodeInput {
    pub name: String,
    pub division_id: Option<String>,
    pub description: Option<String>,
}

/// The wrap-up code operations the Terraform types need, implemented over the API client
/// (see `provider::client`). A seam so the types' decisions can be tested without a network.
#[async_trait]
pub trait WrapupCodeApi: Send + Sync {
    /// Every code, all pages at the largest page size.
    async fn list_all(&self) -> Result<Vec<WrapupCode>, PlatformError>;
    /// Codes the platform's name search returns for `name` (may be partial or case
    /// insensitive: callers filter for the exact match they need).
    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError>;
    /// Codes in one division, optionally narrowed by the platform's name search.
    async fn list_filtered(
        &self,
        name: Option<&str>,
        division_id: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError>;
    async fn get(&self, id: &str) -> Result<Option<WrapupCode>, PlatformError>;
    /// POST: never replayed by the client; a dropped answer is [`PlatformError::Ambiguous`].
    async fn create(&self, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError>;
    async fn update(&self, id: &str, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError>;
    /// Ok(false) when the code was already gone.
    async fn delete(&self, id: &str) -> Result<bool, PlatformError>;
    /// The org's home division, where codes created without a division land.
    async fn home_division_id(&self) -> Result<String, PlatformError>;
}
