use serde::{Deserialize, Serialize};

/// One of the org's limits (`Limit`): its key, its namespace and its value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Any JSON value: read by [`Limit::whole_value`], which refuses what is not a whole number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl Limit {
    /// The value as a whole number, if it is one.
    pub fn whole_value(&self) -> Option<i64> {
        self.value.as_ref().and_then(serde_json::Value::as_i64)
    }
}

/// The limits of one namespace (`LimitsEntityListing`): a plain list, not paged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitsListing {
    #[serde(default)]
    pub entities: Vec<Limit>,
}
