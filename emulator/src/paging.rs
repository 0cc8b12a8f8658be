//! Page parameters and the `…EntityListing` envelope (entities, pageSize, pageNumber, total,
//! pageCount and the first/self/next/previous/last URIs).

use serde::Serialize;

use crate::error::ApiError;

/// Page size used when the request names none.
pub const DEFAULT_PAGE_SIZE: u64 = 25;
/// Largest page the platform returns; larger requests are capped, not refused.
pub const MAX_PAGE_SIZE: u64 = 500;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub size: u64,
    pub number: u64,
}

impl Page {
    /// Reads `pageSize` / `pageNumber` from query pairs.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Page, ApiError> {
        let size = positive(pairs, "pageSize")?
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .min(MAX_PAGE_SIZE);
        let number = positive(pairs, "pageNumber")?.unwrap_or(1);
        Ok(Page { size, number })
    }
}

fn positive(pairs: &[(String, String)], name: &str) -> Result<Option<u64>, ApiError> {
    let Some((_, raw)) = pairs.iter().rev().find(|(k, _)| k == name) else {
        return Ok(None);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(Some(n as u64)),
        Ok(_) => Err(ApiError::invalid_value(
            name,
            format!("Value [{raw}] for parameter {name} must be at least 1"),
        )),
        Err(_) => Err(ApiError::invalid_value(
            name,
            format!("Value [{raw}] is not valid for parameter {name}: an integer is required"),
        )),
    }
}

/// A page of entities with the platform's listing envelope.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Listing<T> {
    pub entities: Vec<T>,
    pub page_size: u64,
    pub page_number: u64,
    pub total: u64,
    pub page_count: u64,
    pub first_uri: String,
    pub self_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_uri: Option<String>,
    pub last_uri: String,
}

/// A listing's answer: the page of `all` the request asks for, whose URIs repeat the request's
/// other query pairs.
pub fn listing_page<T>(
    all: Vec<T>,
    page: Page,
    uri: &axum::http::Uri,
    query: &crate::extract::QueryPairs,
) -> axum::Json<Listing<T>> {
    axum::Json(paginate(all, page, uri.path(), &query.without_paging()))
}

/// Cuts `all` into the requested page. `base` is the path; `extra` the query pairs (other than
/// paging) that the URIs must repeat.
pub fn paginate<T>(all: Vec<T>, page: Page, base: &str, extra: &[(String, String)]) -> Listing<T> {
    let total = all.len() as u64;
    let page_count = total.div_ceil(page.size);
    let skip = (page.number - 1).saturating_mul(page.size);
    let entities: Vec<T> = all
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(page.size as usize)
        .collect();
    let uri = |n: u64| {
        let mut uri = format!("{base}?pageSize={}&pageNumber={n}", page.size);
        for (k, v) in extra {
            uri.push('&');
            uri.push_str(&encode(k));
            uri.push('=');
            uri.push_str(&encode(v));
        }
        uri
    };
    Listing {
        entities,
        page_size: page.size,
        page_number: page.number,
        total,
        page_count,
        first_uri: uri(1),
        self_uri: uri(page.number),
        next_uri: (page.number < page_count).then(|| uri(page.number + 1)),
        previous_uri: (page.number > 1).then(|| uri(page.number - 1)),
        last_uri: uri(page_count.max(1)),
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass through).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_and_caps_page_size() {
        assert_eq!(
            Page::from_query(&[]).ok(),
            Some(Page {
                size: 25,
                number: 1
            })
        );
        assert_eq!(
            Page::from_query(&q(&[("pageSize", "10000")]))
                .map(|p| p.size)
                .ok(),
            Some(500)
        );
    }

    #[test]
    fn refuses_zero_and_non_numeric_page_parameters() {
        for bad in [("pageSize", "0"), ("pageNumber", "-1"), ("pageSize", "ten")] {
            let err = Page::from_query(&q(&[bad])).expect_err("bad page parameter is refused");
            assert_eq!(err.status().as_u16(), 400);
        }
    }

    #[test]
    fn envelope_links_neighbouring_pages_and_keeps_filters() {
        let listing = paginate(
            (0..60).collect::<Vec<_>>(),
            Page {
                size: 25,
                number: 2,
            },
            "/api/v2/x",
            &q(&[("name", "a b")]),
        );
        assert_eq!(listing.entities.len(), 25);
        assert_eq!(listing.entities[0], 25);
        assert_eq!(listing.page_count, 3);
        assert_eq!(listing.total, 60);
        assert_eq!(
            listing.next_uri.as_deref(),
            Some("/api/v2/x?pageSize=25&pageNumber=3&name=a%20b")
        );
        assert_eq!(
            listing.previous_uri.as_deref(),
            Some("/api/v2/x?pageSize=25&pageNumber=1&name=a%20b")
        );
        assert_eq!(
            listing.last_uri,
            "/api/v2/x?pageSize=25&pageNumber=3&name=a%20b"
        );
    }

    #[test]
    fn page_past_the_end_is_empty_without_next() {
        let listing = paginate(
            vec![1, 2],
            Page {
                size: 25,
                number: 4,
            },
            "/x",
            &[],
        );
        assert!(listing.entities.is_empty());
        assert!(listing.next_uri.is_none());
        assert_eq!(listing.page_count, 1);
    }
}
