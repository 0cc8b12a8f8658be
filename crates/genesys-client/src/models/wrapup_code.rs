use serde::{Deserialize, Serialize};

use super::DivisionRef;

/// A wrap-up code as the platform returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupCode {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<DivisionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

impl WrapupCode {
    /// The id of the division the code lives in, when the platform reported one.
    pub fn division_id(&self) -> Option<&str> {
        self.division.as_ref().and_then(|d| d.id.as_deref())
    }
}

/// Body of wrap-up code create (POST) and update (PUT). Omitting `division` puts a new code in
/// the home division.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupCodeRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<DivisionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl WrapupCodeRequest {
    /// A request with a name and optional division id and description.
    pub fn new(
        name: impl Into<String>,
        division_id: Option<String>,
        description: Option<String>,
    ) -> Self {
        WrapupCodeRequest {
            name: name.into(),
            division: division_id.map(DivisionRef::by_id),
            description,
        }
    }
}

/// `{id}` element of the queue wrap-up code assignment body (`WrapUpCodeReference`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrapupCodeReference {
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_serialises_camel_case_and_skips_absent_fields() {
        let request = WrapupCodeRequest::new("Sale", Some("div-1".into()), None);
        let json = serde_json::to_value(&request).expect("serialisable");
        assert_eq!(
            json,
            serde_json::json!({"name": "Sale", "division": {"id": "div-1"}})
        );
    }

    #[test]
    fn code_decodes_with_unknown_fields() {
        let code: WrapupCode = serde_json::from_str(
            r#"{"id":"c1","name":"Sale","division":{"id":"d1","name":"Home","selfUri":"/x"},
                "dateCreated":"2024-01-01T00:00:00Z","createdBy":"u1","newField":[1]}"#,
        )
        .expect("valid WrapupCode");
        assert_eq!(code.division_id(), Some("d1"));
        assert_eq!(code.date_created.as_deref(), Some("2024-01-01T00:00:00Z"));
    }
}
