//! Walking paged listings: `pageNumber` up to `pageCount`, falling back to `nextUri`.

use std::future::Future;

use super::error::ClientError;
use super::models::EntityListing;

/// Largest `pageSize` the wrap-up code listing accepts. Assumption: 500, the value public
/// integrations use against `/api/v2/routing/wrapupcodes`; the official provider asks for 100.
pub const WRAPUP_CODES_MAX_PAGE_SIZE: u32 = 500;

/// Page size for listings whose maximum we have not pinned down (divisions, queue codes).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Stops a listing that never ends (a server bug) instead of looping forever.
const MAX_PAGES: u32 = 10_000;

/// The page to request after `page`, or `None` when it was the last.
/// Uses `pageCount` when present, else the `pageNumber` in `nextUri`, else "a next page exists".
pub fn next_page_number<T>(page: &EntityListing<T>, requested: u32) -> Option<u32> {
    let current = page.page_number.unwrap_or(requested);
    if page.entities.is_empty() {
        return None;
    }
    if let Some(count) = page.page_count {
        return (current < count).then(|| current.checked_add(1)).flatten();
    }
    let next = page.next_uri.as_deref().filter(|u| !u.is_empty())?;
    let from_uri = next
        .split_once('?')
        .map(|(_, query)| query)
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "pageNumber")
        .and_then(|(_, v)| v.parse::<u32>().ok());
    match from_uri {
        Some(n) if n > current => Some(n),
        Some(_) => None,
        None => current.checked_add(1),
    }
}

/// Why a listing was abandoned before its last page: the server stopped making progress, so
/// walking on would only spend requests (a gateway that loops would otherwise cost up to
/// [`MAX_PAGES`] of them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagingError {
    /// The answer to page `requested` points to a next page that is not after it (for example,
    /// the server answers page 1 whatever page is asked for).
    #[error(
        "the listing does not advance: asked for page {requested}, the answer (page {reported}) \
         points to page {next} next; stopped instead of asking again"
    )]
    NotAdvancing {
        requested: u32,
        /// The `pageNumber` the answer reported, or `requested` when it reported none.
        reported: u32,
        next: u32,
    },
    /// Two consecutive answers carried the same `nextUri` (and `selfUri`): the server sent
    /// the same page twice.
    #[error(
        "the listing sent the same page twice (pages {previous} and {requested} both say {uri}); \
         stopped instead of asking again"
    )]
    SamePageTwice {
        previous: u32,
        requested: u32,
        uri: String,
    },
    /// More than [`MAX_PAGES`] pages, each of which looked like progress.
    #[error("the listing did not end after {MAX_PAGES} pages")]
    TooManyPages,
}

/// The links of one answer that must change from page to page.
#[derive(Default)]
struct PageLinks {
    self_uri: Option<String>,
    next_uri: Option<String>,
}

impl PageLinks {
    fn of<T>(page: &EntityListing<T>) -> Self {
        let non_empty = |u: &Option<String>| u.clone().filter(|u| !u.is_empty());
        PageLinks {
            self_uri: non_empty(&page.self_uri),
            next_uri: non_empty(&page.next_uri),
        }
    }

    /// The `nextUri` this page repeats from `previous`: the same next link, and no `selfUri`
    /// that tells the two apart. (A `selfUri` alone may legitimately lack the page number.)
    fn repeated_from(&self, previous: &PageLinks) -> Option<&str> {
        let next = self.next_uri.as_deref()?;
        (previous.next_uri.as_deref() == Some(next) && self.self_uri == previous.self_uri)
            .then_some(next)
    }
}

/// Fetches every page with `fetch(page_number)` and concatenates the entities. A listing that
/// stops making progress (a next page not after the one asked for, or the same page twice)
/// ends in [`PagingError`] at once rather than after [`MAX_PAGES`] requests.
pub async fn collect_all<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, ClientError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<EntityListing<T>, ClientError>>,
{
    let mut all = Vec::new();
    let mut page_number = 1;
    let mut previous: Option<(u32, PageLinks)> = None;
    for _ in 0..MAX_PAGES {
        let mut page = fetch(page_number).await?;
        let next = next_page_number(&page, page_number);
        let links = PageLinks::of(&page);
        if let Some((previous_number, previous_links)) = &previous
            && let Some(uri) = links.repeated_from(previous_links)
        {
            return Err(PagingError::SamePageTwice {
                previous: *previous_number,
                requested: page_number,
                uri: uri.to_owned(),
            }
            .into());
        }
        all.append(&mut page.entities);
        match next {
            Some(n) if n > page_number => {
                previous = Some((page_number, links));
                page_number = n;
            }
            Some(n) => {
                return Err(PagingError::NotAdvancing {
                    requested: page_number,
                    reported: page.page_number.unwrap_or(page_number),
                    next: n,
                }
                .into());
            }
            None => return Ok(all),
        }
    }
    Err(PagingError::TooManyPages.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, count: Option<u32>, next: Option<&str>, len: usize) -> EntityListing<u32> {
        EntityListing {
            entities: (0..len as u32).collect(),
            page_size: Some(len as u32),
            page_number: Some(number),
            total: None,
            page_count: count,
            first_uri: None,
            self_uri: None,
            next_uri: next.map(str::to_owned),
            previous_uri: None,
            last_uri: None,
        }
    }

    #[test]
    fn page_count_decides_when_present() {
        assert_eq!(next_page_number(&page(1, Some(2), None, 5), 1), Some(2));
        assert_eq!(
            next_page_number(&page(2, Some(2), Some("/x?pageNumber=3"), 5), 2),
            None
        );
    }

    #[test]
    fn next_uri_is_the_fallback() {
        assert_eq!(
            next_page_number(
                &page(1, None, Some("/api/v2/x?pageSize=5&pageNumber=2"), 5),
                1
            ),
            Some(2)
        );
        assert_eq!(
            next_page_number(&page(3, None, Some("/api/v2/x?cursor=abc"), 5), 3),
            Some(4)
        );
        assert_eq!(next_page_number(&page(3, None, None, 5), 3), None);
        assert_eq!(
            next_page_number(&page(3, None, Some("/x?pageNumber=3"), 5), 3),
            None
        );
    }

    #[test]
    fn the_last_representable_page_number_ends_the_walk() {
        assert_eq!(
            next_page_number(&page(u32::MAX, None, Some("/x?a=b"), 5), 1),
            None
        );
        assert_eq!(
            next_page_number(&page(u32::MAX, Some(u32::MAX), None, 5), 1),
            None
        );
    }

    #[test]
    fn an_empty_page_ends_the_walk() {
        assert_eq!(next_page_number(&page(1, Some(9), None, 0), 1), None);
    }

    #[tokio::test]
    async fn collect_all_walks_every_page_once() {
        let mut calls = Vec::new();
        let all = collect_all(|n| {
            calls.push(n);
            async move { Ok(page(n, Some(3), None, 2)) }
        })
        .await
        .expect("no errors");
        assert_eq!(calls, vec![1, 2, 3]);
        assert_eq!(all.len(), 6);
    }

    #[tokio::test]
    async fn a_server_that_answers_page_one_to_everything_is_refused_on_the_second_page() {
        let mut calls = Vec::new();
        let err = collect_all(|n| {
            calls.push(n);
            async move { Ok(page(1, Some(10_000), None, 2)) }
        })
        .await
        .expect_err("the second answer repeats page 1");
        assert_eq!(calls, vec![1, 2]);
        assert!(
            matches!(
                err,
                ClientError::Paging(PagingError::NotAdvancing {
                    requested: 2,
                    reported: 1,
                    next: 2
                })
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("does not advance"), "{err}");
    }

    #[tokio::test]
    async fn the_same_next_link_twice_is_refused() {
        let mut calls = 0;
        let err = collect_all(|_| {
            calls += 1;
            async move { Ok(page(7, None, Some("/api/v2/x?cursor=same"), 2)) }
        })
        .await
        .expect_err("the second answer is the same page");
        assert_eq!(calls, 2);
        match &err {
            ClientError::Paging(PagingError::SamePageTwice { uri, .. }) => {
                assert_eq!(uri, "/api/v2/x?cursor=same")
            }
            other => panic!("expected the same page twice, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn distinct_self_links_are_progress_even_with_the_same_next_link() {
        let all = collect_all(|n| async move {
            let mut answer = page(n, None, (n < 3).then_some("/api/v2/x?cursor=c"), 1);
            answer.self_uri = Some(format!("/api/v2/x?pageNumber={n}"));
            Ok(answer)
        })
        .await
        .expect("three distinct pages");
        assert_eq!(all.len(), 3);
    }
}
