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

/// What one page fetch gives back: the stream, to fetch the page after, and the page.
type Fetched = (
    DetailsStream,
    Result<Option<Vec<AnalyticsConversation>>, PlatformError>,
);

/// A page fetch running in its own task, aborted when dropped (a job that stops or fails
/// leaves no read behind it).
struct PageFetch(tokio::task::JoinHandle<Fetched>);

impl Drop for PageFetch {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A [`DetailsStream`] that fetches the next page while the job works on the one in hand, so
/// the job's writes never stand still waiting for a page: one page is read ahead, never more,
/// so memory stays flat. It reads no page the plain stream would not read.
pub struct ReadAheadStream {
    /// The stream, while no fetch holds it.
    idle: Option<DetailsStream>,
    /// The fetch of the next page, under way.
    ahead: Option<PageFetch>,
}

impl ReadAheadStream {
    /// Reads `stream` a page ahead.
    pub fn new(stream: DetailsStream) -> Self {
        ReadAheadStream {
            idle: Some(stream),
            ahead: None,
        }
    }

    /// The next page (see [`DetailsStream::next_page`]); the page after it is then fetched at
    /// once, in the background.
    pub async fn next_page(&mut self) -> Result<Option<Vec<AnalyticsConversation>>, PlatformError> {
        let (stream, page) = match (self.ahead.take(), self.idle.take()) {
            (Some(mut fetch), _) => match (&mut fetch.0).await {
                Ok(fetched) => fetched,
                Err(error) => {
                    return Err(PlatformError::Failed(super::ApiFailure {
                        message: format!("reading the next page of the details query: {error}"),
                        ..super::ApiFailure::default()
                    }));
                }
            },
            (None, Some(mut stream)) => {
                let page = stream.next_page().await;
                (stream, page)
            }
            (None, None) => return Ok(None),
        };
        if matches!(page, Ok(Some(_))) && !stream.finished {
            let mut stream = stream;
            self.ahead = Some(PageFetch(tokio::spawn(async move {
                let page = stream.next_page().await;
                (stream, page)
            })));
        } else {
            self.idle = Some(stream);
        }
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::mpsc;

    /// A details-query endpoint with 250 matches (pages of 100, 100 and 50): it answers its
    /// n-th request with page n and reports each request's number.
    async fn paged_platform() -> (String, mpsc::UnboundedReceiver<usize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (seen, requests) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut served = 0;
            while let Ok((mut socket, _)) = listener.accept().await {
                served += 1;
                let _ = seen.send(served);
                let size = match served {
                    1 | 2 => 100,
                    3 => 50,
                    _ => 0,
                };
                let ids: Vec<String> = (0..size)
                    .map(|i| format!("{{\"conversationId\":\"c{served}-{i}\"}}"))
                    .collect();
                let body = format!(
                    "{{\"conversations\":[{}],\"totalHits\":250}}",
                    ids.join(",")
                );
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 65536];
                    let _ = socket.read(&mut buffer).await;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        (url, requests)
    }

    fn stream_over(url: &str) -> DetailsStream {
        let interval =
            Interval::parse("2026-11-30T00:00:00Z/2026-12-01T00:00:00Z").expect("an interval");
        DetailsStream::new(crate::platform::loopback_client(url), interval, Vec::new())
    }

    #[tokio::test]
    async fn the_next_page_is_fetched_before_it_is_asked_for_and_none_past_the_end() {
        let (url, mut requests) = paged_platform().await;
        let mut stream = ReadAheadStream::new(stream_over(&url));
        let first = stream.next_page().await.expect("page 1").expect("a page");
        assert_eq!(first.len(), 100);
        assert_eq!(requests.recv().await, Some(1));
        // Nobody asked for page 2 yet: the read-ahead has (the bound only turns a missing
        // request into a failure instead of a hang).
        let ahead = tokio::time::timeout(std::time::Duration::from_secs(30), requests.recv()).await;
        assert_eq!(ahead.ok().flatten(), Some(2), "page 2 is read ahead");
        let second = stream.next_page().await.expect("page 2").expect("a page");
        assert_eq!(second[0].conversation_id, "c2-0");
        let third = stream.next_page().await.expect("page 3").expect("a page");
        assert_eq!(third.len(), 50);
        assert!(matches!(stream.next_page().await, Ok(None)));
        assert!(matches!(stream.next_page().await, Ok(None)));
        assert_eq!(requests.recv().await, Some(3));
        assert!(
            requests.try_recv().is_err(),
            "no page is read past the last, ahead or not"
        );
    }
}
