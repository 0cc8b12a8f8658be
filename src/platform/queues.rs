//! The queues as the types see them: a queue by name or ID, and the wrap-up codes a queue
//! offers, added in bulk and removed one by one. Errors are [`PlatformError`]s.

use super::lag_waits::LagWaits;
use std::collections::BTreeSet;

use async_trait::async_trait;

use super::error::PlatformError;
use genesys_client::models::Queue;
use genesys_client::{GenesysClient, WrapupCodeQuery};

/// What the queue types need of the platform.
#[async_trait]
pub trait Queues: Send + Sync {
    /// How long confirming codes a lagging listing left out waits (`lag_wait_percent`); full
    /// length unless the implementation was given other.
    fn lag_waits(&self) -> LagWaits {
        LagWaits::FULL
    }
    /// The queues named `name`, ignoring case.
    async fn find_by_name(&self, name: &str) -> Result<Vec<Queue>, PlatformError>;
    /// Whether queue `queue_id` exists (and these credentials can see it).
    async fn exists(&self, queue_id: &str) -> Result<bool, PlatformError>;
    /// The IDs of the codes queue `queue_id` offers, every page; `None` when there is no such
    /// queue.
    async fn wrapup_code_ids(
        &self,
        queue_id: &str,
    ) -> Result<Option<BTreeSet<String>>, PlatformError>;
    /// Assigns `code_ids` to the queue (in requests of at most 100; a failure part-way leaves
    /// the earlier ones assigned).
    async fn add_wrapup_codes(
        &self,
        queue_id: &str,
        code_ids: &[&str],
    ) -> Result<(), PlatformError>;
    /// Removes one code from the queue; a code the queue no longer offers counts as removed.
    async fn remove_wrapup_code(&self, queue_id: &str, code_id: &str) -> Result<(), PlatformError>;
    /// Of `code_ids`, those the org's code listing shows (it may lag behind a create).
    async fn listed_codes(&self, code_ids: &[String]) -> Result<BTreeSet<String>, PlatformError>;
    /// Whether reading code `code_id` by ID finds it.
    async fn code_exists(&self, code_id: &str) -> Result<bool, PlatformError>;
}

/// [`Queues`] over the API client.
#[derive(Clone)]
pub struct GenesysQueues {
    /// The process's API client.
    pub client: GenesysClient,
    /// How long confirming a code the listing left out waits (`lag_wait_percent`).
    pub lag_waits: LagWaits,
}

#[async_trait]
impl Queues for GenesysQueues {
    fn lag_waits(&self) -> LagWaits {
        self.lag_waits
    }

    async fn find_by_name(&self, name: &str) -> Result<Vec<Queue>, PlatformError> {
        Ok(self.client.queues().find_by_name(name).await?)
    }

    async fn exists(&self, queue_id: &str) -> Result<bool, PlatformError> {
        Ok(self.client.queues().get(queue_id).await?.is_some())
    }

    async fn wrapup_code_ids(
        &self,
        queue_id: &str,
    ) -> Result<Option<BTreeSet<String>>, PlatformError> {
        match self.client.queues().list_all_wrapup_codes(queue_id).await {
            Ok(codes) => Ok(Some(codes.into_iter().map(|code| code.id).collect())),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn add_wrapup_codes(
        &self,
        queue_id: &str,
        code_ids: &[&str],
    ) -> Result<(), PlatformError> {
        self.client
            .queues()
            .add_wrapup_codes(queue_id, code_ids)
            .await?;
        Ok(())
    }

    async fn remove_wrapup_code(&self, queue_id: &str, code_id: &str) -> Result<(), PlatformError> {
        match self
            .client
            .queues()
            .remove_wrapup_code(queue_id, code_id)
            .await
        {
            Err(error) if !error.is_not_found() => Err(error.into()),
            _ => Ok(()),
        }
    }

    async fn listed_codes(&self, code_ids: &[String]) -> Result<BTreeSet<String>, PlatformError> {
        let query = WrapupCodeQuery {
            ids: code_ids.to_vec(),
            ..WrapupCodeQuery::default()
        };
        let found = self.client.wrapup_codes().list_all(&query).await?;
        Ok(found.into_iter().map(|code| code.id).collect())
    }

    async fn code_exists(&self, code_id: &str) -> Result<bool, PlatformError> {
        Ok(self
            .client
            .wrapup_codes()
            .get_optional(code_id)
            .await?
            .is_some())
    }
}
