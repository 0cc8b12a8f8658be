use serde::{Deserialize, Serialize};

use super::DivisionRef;

/// A routing queue (Queue), reduced to the fields the provider reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queue {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<DivisionRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_uri: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_queue_ignoring_fields_it_does_not_model() {
        let q: Queue = serde_json::from_str(
            r#"{"id":"q1","name":"Support","division":{"id":"d1","name":"Home"},"memberCount":3}"#,
        )
        .expect("valid queue");
        assert_eq!(q.name.as_deref(), Some("Support"));
        assert_eq!(q.division.and_then(|d| d.id).as_deref(), Some("d1"));
    }
}
