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

/// Fetches every page with `fetch(page_number)` and concatenates the entities.
pub async fn collect_all<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, ClientError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<EntityListing<T>, ClientError>>,
{
    let mut all = Vec::new();
    let mut page_number = 1;
    for _ in 0..MAX_PAGES {
        let mut page = fetch(page_number).await?;
        let next = next_page_number(&page, page_number);
        all.append(&mut page.entities);
        match next {
            Some(n) => page_number = n,
            None => return Ok(all),
        }
    }
    Err(ClientError::InvalidInput(format!(
        "listing did not end after {MAX_PAGES} pages"
    )))
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
}
