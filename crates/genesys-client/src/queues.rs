//! Queues: lookup by name or id (`/api/v2/routing/queues`) and wrap-up code assignment
//! (`/api/v2/routing/queues/{queueId}/wrapupcodes`).

use reqwest::Method;

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::models::{EntityListing, Queue, WrapupCode, WrapupCodeReference};
use super::paging::{DEFAULT_PAGE_SIZE, collect_all};

const QUEUES: &str = "/api/v2/routing/queues";
const QUEUE: &str = "/api/v2/routing/queues/{queueId}";
const CODES: &str = "/api/v2/routing/queues/{queueId}/wrapupcodes";
const ONE_CODE: &str = "/api/v2/routing/queues/{queueId}/wrapupcodes/{codeId}";

/// Most codes one `POST …/queues/{queueId}/wrapupcodes` may carry: the SDK's summary of the
/// operation is "Add up to 100 wrap-up codes to a queue", and the official provider sends
/// them in chunks of 100 ("API restricts wrapup code adds to 100 per call").
pub const MAX_CODES_PER_ADD: usize = 100;

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
    /// Every queue whose name equals `name` exactly (ignoring case). The platform's `name`
    /// filter treats `*` as a wildcard, so the answer is filtered again here.
    pub async fn find_by_name(&self, name: &str) -> Result<Vec<Queue>, ClientError> {
        let all = collect_all(|page| {
            let request = ApiRequest::new(Method::GET, QUEUES, &[])
                .query("name", name)
                .query("pageSize", DEFAULT_PAGE_SIZE)
                .query("pageNumber", page);
            async move {
                let listing: EntityListing<Queue> = self.client.call_json(request).await?;
                Ok(listing)
            }
        })
        .await?;
        Ok(all
            .into_iter()
            .filter(|q| {
                q.name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(name.trim()))
            })
            .collect())
    }

    /// One queue by id; `None` when the platform says it does not exist.
    pub async fn get(&self, queue_id: &str) -> Result<Option<Queue>, ClientError> {
        match self
            .client
            .call_json(ApiRequest::new(Method::GET, QUEUE, &[queue_id]))
            .await
        {
            Ok(queue) => Ok(Some(queue)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

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

    /// Assigns codes to a queue, in POSTs of at most [`MAX_CODES_PER_ADD`] each. Assigning
    /// is a set union, so repeating it is harmless and it is retried like an idempotent call.
    /// A failure stops at the chunk that failed: the chunks before it stay assigned, so the
    /// caller reads the queue to learn what it holds.
    pub async fn add_wrapup_codes(
        &self,
        queue_id: &str,
        code_ids: &[&str],
    ) -> Result<Vec<WrapupCode>, ClientError> {
        let mut added = Vec::with_capacity(code_ids.len());
        for chunk in code_ids.chunks(MAX_CODES_PER_ADD) {
            let body: Vec<WrapupCodeReference> = chunk
                .iter()
                .map(|id| WrapupCodeReference {
                    id: (*id).to_owned(),
                })
                .collect();
            let request = ApiRequest::new(Method::POST, CODES, &[queue_id])
                .json(&body)?
                .replay_safe();
            let answer: Option<Vec<WrapupCode>> = self.client.call_json_opt(request).await?;
            added.extend(answer.unwrap_or_default());
        }
        Ok(added)
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
