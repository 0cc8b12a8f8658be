use serde::{Deserialize, Serialize};

/// A reference to a division as embedded in other entities (`{id, name, selfUri}`); on
/// writes only `id` matters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DivisionRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

impl DivisionRef {
    /// A reference by id, as writes need it.
    pub fn by_id(id: impl Into<String>) -> Self {
        DivisionRef {
            id: Some(id.into()),
            ..DivisionRef::default()
        }
    }
}

/// A division as the authorization API returns it (`AuthzDivision`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Division {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_division: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_counts: Option<std::collections::BTreeMap<String, i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}
