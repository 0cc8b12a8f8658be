//! Queue wrap-up code assignment: `/api/v2/routing/queues/{queueId}/wrapupcodes`.

use reqwest::Method;

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::models::{EntityListing, WrapupCode, WrapupCodeReference};
use super::paging::{DEFAULT_PAGE_SIZE, collect_all};

const CODES: &str = "/api/v2/routing/queues/{queueId}/wrapupcodes";
const ONE_CODE: &str = "/api/v2/routing/queues/{queueId}/wrapupcodes/{codeId}";

/// Queue operations; get one with [`GenesysClient::queues`].
#[derive(Debug, Clone, Copy)]
pub struct QueuesApi<'a> {
    client: &'a GenesysClient,
}

impl GenesysClient {
    /// Queue operations.
    pub fn queues(&self) -> QueuesApi<'_> {
        QueuesApi { client: self }
    }
}

impl QueuesApi<'_> {
    /// One page of the codes assigned to a queue.
    pub async fn list_wrapup_codes(
        &self,
        queue_id: &str,
        page_number: u32,
        page_size: u32,
    ) -> Result<EntityListing<WrapupCode>, ClientError> {
        let request = ApiRequest::new(Method::GET, CODES, &[queue_id])
            .query("pageSize", page_size)
            .query("pageNumber", page_number);
        self.client.call_json(request).await
    }

    /// Every code assigned to a queue.
    pub async fn list_all_wrapup_codes(
        &self,
        queue_id: &str,
    ) -> Result<Vec<WrapupCode>, ClientError> {
        collect_all(|page| self.list_wrapup_codes(queue_id, page, DEFAULT_PAGE_SIZE)).await
    }

    /// Assigns codes to a queue. Assigning is a set union, so repeating it is harmless and it
    /// is retried like an idempotent call.
    pub async fn add_wrapup_codes(
        &self,
        queue_id: &str,
        code_ids: &[&str],
    ) -> Result<Vec<WrapupCode>, ClientError> {
        let body: Vec<WrapupCodeReference> = code_ids
            .iter()
            .map(|id| WrapupCodeReference {
                id: (*id).to_owned(),
            })
            .collect();
        let request = ApiRequest::new(Method::POST, CODES, &[queue_id])
            .json(&body)?
            .replay_safe();
        self.client
            .call_json_opt(request)
            .await
            .map(Option::unwrap_or_default)
    }

    /// Removes one code from a queue.
    pub async fn remove_wrapup_code(
        &self,
        queue_id: &str,
        code_id: &str,
    ) -> Result<(), ClientError> {
        self.client
            .call_empty(ApiRequest::new(
                Method::DELETE,
                ONE_CODE,
                &[queue_id, code_id],
            ))
            .await
    }
}
