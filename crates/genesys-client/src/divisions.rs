//! Divisions: `/api/v2/authorization/divisions`.

use reqwest::Method;

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::models::{Division, EntityListing};
use super::paging::{DEFAULT_PAGE_SIZE, collect_all};

const HOME: &str = "/api/v2/authorization/divisions/home";
const LIST: &str = "/api/v2/authorization/divisions";
const ONE: &str = "/api/v2/authorization/divisions/{divisionId}";

/// Division lookups; get one with [`GenesysClient::divisions`].
#[derive(Debug, Clone, Copy)]
pub struct DivisionsApi<'a> {
    client: &'a GenesysClient,
}

impl GenesysClient {
    /// Division lookups.
    pub fn divisions(&self) -> DivisionsApi<'_> {
        DivisionsApi { client: self }
    }
}

impl DivisionsApi<'_> {
    /// The organization's home division (where codes without a division land).
    pub async fn home(&self) -> Result<Division, ClientError> {
        self.client
            .call_json(ApiRequest::new(Method::GET, HOME, &[]))
            .await
    }

    /// One page of divisions, optionally filtered by name (platform semantics).
    pub async fn list(
        &self,
        name: Option<&str>,
        page_number: u32,
        page_size: u32,
    ) -> Result<EntityListing<Division>, ClientError> {
        let request = ApiRequest::new(Method::GET, LIST, &[])
            .query("pageSize", page_size)
            .query("pageNumber", page_number)
            .query_opt("name", name);
        self.client.call_json(request).await
    }

    /// Every division, optionally filtered by name (platform semantics).
    pub async fn list_all(&self, name: Option<&str>) -> Result<Vec<Division>, ClientError> {
        collect_all(|page| self.list(name, page, DEFAULT_PAGE_SIZE)).await
    }

    /// One division by id; a missing one is [`ClientError::NotFound`].
    pub async fn get(&self, division_id: &str) -> Result<Division, ClientError> {
        self.client
            .call_json(ApiRequest::new(Method::GET, ONE, &[division_id]))
            .await
    }
}
