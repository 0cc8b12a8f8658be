//! Bulk jobs over the platform: the analytics details query read one page at a time (so a job
//! over 100,000 conversations holds one page, never the whole answer), and how many writes a
//! job keeps in flight so that the token pool, not the job, sets its pace.

use genesys_client::models::{
    AnalyticsConversation, ConversationQuery, DetailQueryFilter, PagingSpec,
};
use genesys_client::{
    DETAILS_QUERY_MAX_PAGE_SIZE, DETAILS_QUERY_MAX_RESULTS, GenesysClient, Interval,
};

use super::PlatformError;

/// Requests in flight per token: enough to keep every token's budget busy while answers
/// travel, few enough that the client's budget waits, not the platform's 429s, set the pace.
pub const IN_FLIGHT_PER_TOKEN: usize = 4;

/// The most requests a bulk job keeps in flight, whatever the pool size.
pub const MAX_IN_FLIGHT: usize = 64;

/// How many operations a bulk job over `client` runs at once: [`IN_FLIGHT_PER_TOKEN`] for
/// each token the pool may hold, so throughput grows with `token_pool_size`.
pub fn bulk_concurrency(client: &GenesysClient) -> usize {
    (client.config().max_tokens.max(1) * IN_FLIGHT_PER_TOKEN).min(MAX_IN_FLIGHT)
}

/// The conversations of a details query, fetched a page at a time in start order.
pub struct DetailsStream {
    client: GenesysClient,
    interval: Interval,
    segment_filters: Vec<DetailQueryFilter>,
    next_page: u32,
    seen: u64,
    total_hits: Option<u64>,
    finished: bool,
}

impl DetailsStream {
    /// A walk over the conversations `interval` and `segment_filters` select, from page 1.
    pub fn new(
        client: GenesysClient,
        interval: Interval,
        segment_filters: Vec<DetailQueryFilter>,
    ) -> Self {
        DetailsStream {
            client,
            interval,
            segment_filters,
            next_page: 1,
            seen: 0,
            total_hits: None,
            finished: false,
        }
    }

    /// The same query, from page 1 again.
    pub fn restart(&self) -> Self {
        DetailsStream::new(
            self.client.clone(),
            self.interval,
            self.segment_filters.clone(),
        )
    }

    /// How many conversations the platform said match (known after the first page).
    pub fn total_hits(&self) -> Option<u64> {
        self.total_hits
    }

    /// How many pages were read.
    pub fn pages(&self) -> u32 {
        self.next_page - 1
    }

    /// The next page's conversations; `None` after the last. The platform cannot page past
    /// [`DETAILS_QUERY_MAX_RESULTS`]: a query that matches more fails on its first page.
    pub async fn next_page(&mut self) -> Result<Option<Vec<AnalyticsConversation>>, PlatformError> {
        if self.finished {
            return Ok(None);
        }
        let page_size = DETAILS_QUERY_MAX_PAGE_SIZE;
        let query = ConversationQuery {
            interval: self.interval.to_string(),
            segment_filters: self.segment_filters.clone(),
            order: Some("asc".into()),
            order_by: Some("conversationStart".into()),
            paging: Some(PagingSpec {
                page_size,
                page_number: self.next_page,
            }),
            ..ConversationQuery::default()
        };
        let page = self.client.analytics().query_details(&query).await?;
        self.next_page += 1;
        let total = page.total_hits.unwrap_or(0);
        if self.total_hits.is_none() && total > DETAILS_QUERY_MAX_RESULTS {
            self.finished = true;
            return Err(PlatformError::Invalid(super::ApiFailure {
                message: format!(
                    "{total} conversations match, more than the {DETAILS_QUERY_MAX_RESULTS} \
                     the analytics details query can page through: use a shorter interval or \
                     more filters"
                ),
                ..super::ApiFailure::default()
            }));
        }
        self.total_hits = Some(total);
        let got = page.conversations.len();
        self.seen += got as u64;
        if got < page_size as usize || self.seen >= total {
            self.finished = true;
        }
        if got == 0 {
            return Ok(None);
        }
        Ok(Some(page.conversations))
    }
}
