use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The platform's error payload (`ErrorBody`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Machine-readable error code, e.g. `not.found`, `bad.request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Informational (the HTTP status is authoritative); an odd number reads as absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::lenient::u16_opt"
    )]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_with_params: Option<String>,
    /// Documented as string→string; kept as JSON values so an odd value never hides the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_params: Option<BTreeMap<String, serde_json::Value>>,
    /// Correlates with the platform's logs; quote it in support requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ErrorDetail>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<ErrorLimit>,
}

/// One entry of `ErrorBody.details`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
}

/// The limit a request ran into (`ErrorBody.limit`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorLimit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::lenient::i64_opt"
    )]
    pub value: Option<i64>,
}

impl ErrorBody {
    /// The most helpful human text: `message`, else `messageWithParams`, else the code.
    pub fn summary(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.message_with_params.as_deref())
            .or(self.code.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_full_error_shape_and_ignores_unknown_fields() {
        let json = r#"{
            "message": "Wrap-up code not found",
            "code": "not.found",
            "status": 404,
            "entityId": "abc",
            "entityName": "wrapupcode",
            "messageWithParams": "Wrap-up code {id} not found",
            "messageParams": {"id": "abc"},
            "contextId": "ctx-1",
            "details": [{"errorCode": "E1", "fieldName": "name"}],
            "errors": [{"message": "inner"}],
            "limit": {"key": "k", "namespace": "routing", "value": 300},
            "somethingNew": true
        }"#;
        let body: ErrorBody = serde_json::from_str(json).expect("valid ErrorBody");
        assert_eq!(body.status, Some(404));
        assert_eq!(body.code.as_deref(), Some("not.found"));
        assert_eq!(body.context_id.as_deref(), Some("ctx-1"));
        assert_eq!(body.details[0].field_name.as_deref(), Some("name"));
        assert_eq!(body.errors[0].message.as_deref(), Some("inner"));
        assert_eq!(body.limit.as_ref().and_then(|l| l.value), Some(300));
        assert_eq!(body.summary(), Some("Wrap-up code not found"));
    }

    #[test]
    fn an_odd_number_never_hides_the_error() {
        for status in ["404.5", "1e20", "-1", "70000", "\"404\""] {
            let json = format!(
                r#"{{"message": "gone", "code": "not.found", "status": {status},
                    "limit": {{"value": {status}}}}}"#
            );
            let body: ErrorBody = serde_json::from_str(&json).expect("still an ErrorBody");
            assert_eq!(body.code.as_deref(), Some("not.found"), "{status}");
            assert_eq!(body.status, None, "{status}");
        }
    }
}
