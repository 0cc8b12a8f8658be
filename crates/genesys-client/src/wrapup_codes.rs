//! Wrap-up codes: `/api/v2/routing/wrapupcodes`.

use reqwest::Method;

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::models::{EntityListing, WrapupCode, WrapupCodeRequest};
use super::paging::{WRAPUP_CODES_MAX_PAGE_SIZE, collect_all};

const LIST: &str = "/api/v2/routing/wrapupcodes";
const ONE: &str = "/api/v2/routing/wrapupcodes/{codeId}";

/// Sort direction for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Ascending,
    Descending,
}

impl SortOrder {
    fn as_str(self) -> &'static str {
        match self {
            SortOrder::Ascending => "ascending",
            SortOrder::Descending => "descending",
        }
    }
}

/// Filters for the wrap-up code listing. The platform's `name` filter is not an exact match;
/// use [`WrapupCodesApi::find_by_name`] for that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrapupCodeQuery {
    pub name: Option<String>,
    pub ids: Vec<String>,
    pub division_ids: Vec<String>,
    /// e.g. `name`; the platform ignores it unless `name` is given.
    pub sort_by: Option<String>,
    pub sort_order: Option<SortOrder>,
}

impl WrapupCodeQuery {
    /// Codes whose name matches `name` as the platform's filter understands it.
    pub fn by_name(name: impl Into<String>) -> Self {
        WrapupCodeQuery {
            name: Some(name.into()),
            ..WrapupCodeQuery::default()
        }
    }
}

/// Wrap-up code operations; get one with [`GenesysClient::wrapup_codes`].
#[derive(Debug, Clone, Copy)]
pub struct WrapupCodesApi<'a> {
    client: &'a GenesysClient,
}

impl GenesysClient {
    /// Wrap-up code operations.
    pub fn wrapup_codes(&self) -> WrapupCodesApi<'_> {
        WrapupCodesApi { client: self }
    }
}

impl WrapupCodesApi<'_> {
    /// One page of the listing.
    pub async fn list(
        &self,
        query: &WrapupCodeQuery,
        page_number: u32,
        page_size: u32,
    ) -> Result<EntityListing<WrapupCode>, ClientError> {
        let mut request = ApiRequest::new(Method::GET, LIST, &[])
            .query("pageSize", page_size)
            .query("pageNumber", page_number)
            .query_opt("name", query.name.as_deref())
            .query_opt("sortBy", query.sort_by.as_deref())
            .query_opt("sortOrder", query.sort_order.map(SortOrder::as_str));
        for id in &query.ids {
            request = request.query("id", id);
        }
        for division in &query.division_ids {
            request = request.query("divisionId", division);
        }
        self.client.call_json(request).await
    }

    /// Every code matching `query`, walking all pages at the largest page size.
    pub async fn list_all(&self, query: &WrapupCodeQuery) -> Result<Vec<WrapupCode>, ClientError> {
        collect_all(|page| self.list(query, page, WRAPUP_CODES_MAX_PAGE_SIZE)).await
    }

    /// One code by id; a missing code is [`ClientError::NotFound`].
    pub async fn get(&self, code_id: &str) -> Result<WrapupCode, ClientError> {
        self.client
            .call_json(ApiRequest::new(Method::GET, ONE, &[code_id]))
            .await
    }

    /// One code by id, `None` when it does not exist (what a Terraform read wants).
    pub async fn get_optional(&self, code_id: &str) -> Result<Option<WrapupCode>, ClientError> {
        match self.get(code_id).await {
            Ok(code) => Ok(Some(code)),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Creates a code. Never replayed after a 5xx or a broken connection: such failures come
    /// back as [`ClientError::Ambiguous`]; then look the code up with
    /// [`find_by_name`](Self::find_by_name) before creating again.
    pub async fn create(&self, request: &WrapupCodeRequest) -> Result<WrapupCode, ClientError> {
        self.client
            .call_json(ApiRequest::new(Method::POST, LIST, &[]).json(request)?)
            .await
    }

    /// Replaces a code's name, division and description.
    pub async fn update(
        &self,
        code_id: &str,
        request: &WrapupCodeRequest,
    ) -> Result<WrapupCode, ClientError> {
        self.client
            .call_json(ApiRequest::new(Method::PUT, ONE, &[code_id]).json(request)?)
            .await
    }

    /// Deletes a code.
    pub async fn delete(&self, code_id: &str) -> Result<(), ClientError> {
        self.client
            .call_empty(ApiRequest::new(Method::DELETE, ONE, &[code_id]))
            .await
    }

    /// Codes whose name equals `name` exactly (case-sensitive). Asks the platform to filter by
    /// name, then keeps exact matches only, since its filter also matches other names.
    pub async fn find_by_name(&self, name: &str) -> Result<Vec<WrapupCode>, ClientError> {
        if name.is_empty() {
            return Err(ClientError::InvalidInput(
                "wrap-up code name must not be empty".into(),
            ));
        }
        let mut codes = self.list_all(&WrapupCodeQuery::by_name(name)).await?;
        codes.retain(|c| c.name == name);
        Ok(codes)
    }
}
