//! Analytics conversation details: `POST /api/v2/analytics/conversations/details/query`
//! (conversations in an interval, paged) and the multi-get
//! `GET /api/v2/analytics/conversations/details?id=…`. Analytics is eventually consistent
//! with the conversation API: exact wrap-up reads stay the participant endpoints.

use std::fmt;

use reqwest::Method;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::client::GenesysClient;
use super::error::ClientError;
use super::http::ApiRequest;
use super::models::{
    AnalyticsConversation, AnalyticsConversationMultiGetResponse,
    AnalyticsConversationQueryResponse, ConversationQuery, DetailQueryFilter, PagingSpec,
};

const DETAILS_QUERY: &str = "/api/v2/analytics/conversations/details/query";
const DETAILS: &str = "/api/v2/analytics/conversations/details";

/// Largest `paging.pageSize` of a details query (assumed; see emulator/README.md).
pub const DETAILS_QUERY_MAX_PAGE_SIZE: u32 = 100;
/// Deepest a details query may page: `pageNumber × pageSize` (quoted from the platform's error).
pub const DETAILS_QUERY_MAX_RESULTS: u64 = 100_000;
/// Longest interval a details query accepts, in days (assumed; see emulator/README.md).
pub const MAX_INTERVAL_DAYS: i64 = 31;
/// Most conversation ids one multi-get accepts.
pub const MULTI_GET_MAX_IDS: usize = 100;

/// Why an interval is refused before any request is made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    /// No `/`, or an empty side: an open interval.
    #[error(
        "'{0}' is not a closed interval: give both ends as ISO-8601 start/end, e.g. 2026-11-30T00:00:00Z/2026-12-01T00:00:00Z"
    )]
    Open(String),
    /// A side that is not an RFC 3339 date-time with an offset.
    #[error(
        "'{value}' in the interval is not an ISO-8601 date-time with a time zone, e.g. 2026-11-30T00:00:00Z"
    )]
    NotADateTime { value: String },
    /// End not after start.
    #[error("the interval '{0}' ends before or when it starts")]
    Reversed(String),
    /// Longer than the platform accepts.
    #[error(
        "the interval '{interval}' spans {days} days; the analytics details query accepts at most {MAX_INTERVAL_DAYS} days, so split it"
    )]
    TooLong { interval: String, days: i64 },
}

/// A closed interval `[start, end)` the details query accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
}

impl Interval {
    /// Parses and checks an ISO-8601 `start/end` interval.
    pub fn parse(raw: &str) -> Result<Interval, IntervalError> {
        let (start, end) = raw
            .split_once('/')
            .filter(|(s, e)| !s.trim().is_empty() && !e.trim().is_empty())
            .ok_or_else(|| IntervalError::Open(raw.to_owned()))?;
        let parse = |s: &str| {
            OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|_| IntervalError::NotADateTime {
                value: s.trim().to_owned(),
            })
        };
        let (start, end) = (parse(start)?, parse(end)?);
        if end <= start {
            return Err(IntervalError::Reversed(raw.to_owned()));
        }
        let span = end - start;
        if span > Duration::days(MAX_INTERVAL_DAYS) {
            return Err(IntervalError::TooLong {
                interval: raw.to_owned(),
                days: span.whole_days() + i64::from(span.whole_seconds() % 86_400 != 0),
            });
        }
        Ok(Interval { start, end })
    }

    /// Whether an instant (RFC 3339) lies in `[start, end)`; `false` when it does not parse.
    pub fn contains(&self, at: &str) -> bool {
        OffsetDateTime::parse(at, &Rfc3339).is_ok_and(|t| self.start <= t && t < self.end)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let utc = |t: OffsetDateTime| {
            t.to_offset(UtcOffset::UTC)
                .format(&Rfc3339)
                .unwrap_or_default()
        };
        write!(f, "{}/{}", utc(self.start), utc(self.end))
    }
}

/// What a details-query walk returned: the conversations and how many pages it took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailsQueryResult {
    pub conversations: Vec<AnalyticsConversation>,
    pub pages: u32,
}

/// Analytics operations; get one with [`GenesysClient::analytics`].
#[derive(Debug, Clone, Copy)]
pub struct AnalyticsApi<'a> {
    client: &'a GenesysClient,
}

impl GenesysClient {
    /// Analytics conversation details.
    pub fn analytics(&self) -> AnalyticsApi<'_> {
        AnalyticsApi { client: self }
    }
}

impl AnalyticsApi<'_> {
    /// One page of a details query. A read, so it is retried like a GET.
    pub async fn query_details(
        &self,
        query: &ConversationQuery,
    ) -> Result<AnalyticsConversationQueryResponse, ClientError> {
        let request = ApiRequest::new(Method::POST, DETAILS_QUERY, &[])
            .json(query)?
            .replay_safe();
        self.client
            .call_json_opt(request)
            .await
            .map(Option::unwrap_or_default)
    }

    /// Every conversation that started on a day the interval touches and passes the segment
    /// filters, walking pages of [`DETAILS_QUERY_MAX_PAGE_SIZE`] ordered by start.
    pub async fn query_all_details(
        &self,
        interval: &Interval,
        segment_filters: Vec<DetailQueryFilter>,
    ) -> Result<DetailsQueryResult, ClientError> {
        let mut out = DetailsQueryResult::default();
        let page_size = DETAILS_QUERY_MAX_PAGE_SIZE;
        let max_pages = DETAILS_QUERY_MAX_RESULTS / u64::from(page_size);
        for page_number in 1..=max_pages as u32 {
            let query = ConversationQuery {
                interval: interval.to_string(),
                segment_filters: segment_filters.clone(),
                order: Some("asc".into()),
                order_by: Some("conversationStart".into()),
                paging: Some(PagingSpec {
                    page_size,
                    page_number,
                }),
                ..ConversationQuery::default()
            };
            let page = self.query_details(&query).await?;
            out.pages = page_number;
            let got = page.conversations.len();
            out.conversations.extend(page.conversations);
            let total = page.total_hits.unwrap_or(0);
            if got < page_size as usize || out.conversations.len() as u64 >= total {
                return Ok(out);
            }
        }
        Err(ClientError::InvalidInput(format!(
            "more than {DETAILS_QUERY_MAX_RESULTS} conversations match; the details query cannot page past that, so use a shorter interval or more filters"
        )))
    }

    /// The conversations with these ids, [`MULTI_GET_MAX_IDS`] per request. Ids analytics does
    /// not know (yet) are missing from the answer.
    pub async fn conversations_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<AnalyticsConversation>, ClientError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(MULTI_GET_MAX_IDS) {
            let request = ApiRequest::new(Method::GET, DETAILS, &[]).query("id", chunk.join(","));
            let page: Option<AnalyticsConversationMultiGetResponse> =
                self.client.call_json_opt(request).await?;
            out.extend(page.unwrap_or_default().conversations);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_interval_parses_and_prints_in_utc() {
        let i = Interval::parse("2026-11-30T01:00:00+01:00/2026-12-01T00:00:00Z").expect("valid");
        assert_eq!(i.to_string(), "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z");
        assert!(i.contains("2026-11-30T23:59:59.999Z"));
        assert!(!i.contains("2026-12-01T00:00:00Z"));
        assert!(!i.contains("yesterday"));
    }

    #[test]
    fn open_reversed_and_long_intervals_are_refused_with_the_limit() {
        for open in [
            "2026-11-30T00:00:00Z",
            "2026-11-30T00:00:00Z/",
            "/2026-11-30T00:00:00Z",
        ] {
            assert!(
                matches!(Interval::parse(open), Err(IntervalError::Open(_))),
                "{open}"
            );
        }
        assert!(matches!(
            Interval::parse("2026-11-30/2026-12-01"),
            Err(IntervalError::NotADateTime { .. })
        ));
        assert!(matches!(
            Interval::parse("2026-12-01T00:00:00Z/2026-11-30T00:00:00Z"),
            Err(IntervalError::Reversed(_))
        ));
        let err = Interval::parse("2026-10-01T00:00:00Z/2026-11-30T00:00:00Z")
            .expect_err("60 days is too long");
        assert_eq!(
            err,
            IntervalError::TooLong {
                interval: "2026-10-01T00:00:00Z/2026-11-30T00:00:00Z".into(),
                days: 60
            }
        );
        assert!(err.to_string().contains("at most 31 days"));
        assert!(Interval::parse("2026-10-30T00:00:00Z/2026-11-30T00:00:00Z").is_ok());
    }
}
