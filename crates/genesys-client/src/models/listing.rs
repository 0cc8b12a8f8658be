use serde::{Deserialize, Serialize};

/// The paging envelope every `…EntityListing` shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityListing<T> {
    #[serde(default = "Vec::new")]
    pub entities: Vec<T>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::lenient::u32_opt"
    )]
    pub page_size: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::lenient::u32_opt"
    )]
    pub page_number: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::lenient::u64_opt"
    )]
    pub total: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::lenient::u32_opt"
    )]
    pub page_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_uri: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_entities_decode_as_empty() {
        let page: EntityListing<serde_json::Value> =
            serde_json::from_str(r#"{"pageSize": 25, "pageNumber": 1, "total": 0}"#)
                .expect("valid listing");
        assert!(page.entities.is_empty());
        assert_eq!(page.page_count, None);
    }

    #[test]
    fn odd_paging_numbers_read_as_absent_and_keep_the_entities() {
        let json = r#"{"entities": [1, 2], "pageSize": -1, "pageNumber": 1e20,
                       "total": 18446744073709551616, "pageCount": 2.5}"#;
        let page: EntityListing<u8> = serde_json::from_str(json).expect("still a listing");
        assert_eq!(page.entities, vec![1, 2]);
        assert_eq!(
            (
                page.page_size,
                page.page_number,
                page.total,
                page.page_count
            ),
            (None, None, None, None)
        );
    }
}
