use serde::{Deserialize, Serialize};

/// Body of the wrap-up POST per communication (the API's `WrapupInput` schema). `code` is the
/// wrap-up code ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupBody {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_end_time_updates: Option<bool>,
}

/// A wrap-up as embedded in participants and communications (`Wrapup`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wrapup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional: Option<bool>,
}

/// The participant wrap-up read model (`AssignedWrapupCode`); `code` is the wrap-up code ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedWrapupCode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
}

/// Body of the participant PATCH (`MediaParticipantRequest`), which can carry a wrap-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaParticipantRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup: Option<WrapupBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confined: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapup_skipped: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_time: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapup_input_sends_only_what_is_set() {
        let input = WrapupBody {
            code: "code-id".into(),
            notes: Some("back-filled".into()),
            ..WrapupBody::default()
        };
        assert_eq!(
            serde_json::to_value(&input).expect("serialisable"),
            serde_json::json!({"code": "code-id", "notes": "back-filled"})
        );
    }

    #[test]
    fn patch_body_nests_the_wrapup() {
        let body = MediaParticipantRequest {
            wrapup: Some(WrapupBody {
                code: "c".into(),
                disable_end_time_updates: Some(true),
                ..WrapupBody::default()
            }),
            ..MediaParticipantRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&body).expect("serialisable"),
            serde_json::json!({"wrapup": {"code": "c", "disableEndTimeUpdates": true}})
        );
    }
}
