//! Analytics conversation details: the query body (ConversationQuery) and the conversation
//! views the query and the multi-get answer (AnalyticsConversationWithoutAttributes and below).

use serde::{Deserialize, Serialize};

/// Body of `POST /api/v2/analytics/conversations/details/query`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationQuery {
    /// ISO-8601 `start/end`.
    pub interval: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conversation_filters: Vec<DetailQueryFilter>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segment_filters: Vec<DetailQueryFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PagingSpec>,
}

/// `{pageSize, pageNumber}` of a details query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PagingSpec {
    pub page_size: u32,
    pub page_number: u32,
}

/// A conversation or segment filter: predicates (and clauses) joined by `and` / `or`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailQueryFilter {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predicates: Vec<DetailQueryPredicate>,
}

/// A dimension predicate (`matches` a value, `exists`, `notExists`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailQueryPredicate {
    #[serde(rename = "type")]
    pub kind: String,
    pub dimension: String,
    pub operator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl DetailQueryFilter {
    /// `or` over `dimension == value` for each value: "any of these".
    pub fn any_of(dimension: &str, values: &[String]) -> Self {
        DetailQueryFilter {
            kind: "or".into(),
            predicates: values
                .iter()
                .map(|v| DetailQueryPredicate {
                    kind: "dimension".into(),
                    dimension: dimension.into(),
                    operator: "matches".into(),
                    value: Some(v.clone()),
                })
                .collect(),
        }
    }
}

/// Answer of the details query. `conversations` is absent when nothing matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsConversationQueryResponse {
    #[serde(default)]
    pub conversations: Vec<AnalyticsConversation>,
    #[serde(default)]
    pub total_hits: Option<u64>,
}

/// Answer of the multi-get by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsConversationMultiGetResponse {
    #[serde(default)]
    pub conversations: Vec<AnalyticsConversation>,
}

/// One conversation as analytics sees it (AnalyticsConversationWithoutAttributes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsConversation {
    pub conversation_id: String,
    #[serde(default)]
    pub conversation_start: Option<String>,
    #[serde(default)]
    pub conversation_end: Option<String>,
    #[serde(default)]
    pub division_ids: Vec<String>,
    #[serde(default)]
    pub participants: Vec<AnalyticsParticipant>,
}

/// A participant (AnalyticsParticipantWithoutAttributes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsParticipant {
    pub participant_id: String,
    #[serde(default)]
    pub participant_name: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub sessions: Vec<AnalyticsSession>,
}

/// A session (AnalyticsSession); its `sessionId` is the communication id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsSession {
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub segments: Vec<AnalyticsSegment>,
}

/// A segment (AnalyticsConversationSegment), reduced to what wrap-up handling reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsSegment {
    #[serde(default)]
    pub segment_type: Option<String>,
    #[serde(default)]
    pub segment_start: Option<String>,
    #[serde(default)]
    pub segment_end: Option<String>,
    #[serde(default)]
    pub queue_id: Option<String>,
    #[serde(default)]
    pub wrap_up_code: Option<String>,
    #[serde(default)]
    pub wrap_up_note: Option<String>,
    #[serde(default)]
    pub wrap_up_tags: Vec<String>,
}

impl AnalyticsSession {
    /// The session's wrap-up segment (after-call work), if analytics has one.
    pub fn wrapup_segment(&self) -> Option<&AnalyticsSegment> {
        self.segments
            .iter()
            .rev()
            .find(|s| s.segment_type.as_deref() == Some("wrapup"))
    }

    /// The queue the session was routed through: the last segment naming one.
    pub fn queue_id(&self) -> Option<&str> {
        self.segments
            .iter()
            .rev()
            .find_map(|s| s.queue_id.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_answer_without_hits_has_no_conversations_field() {
        let answer: AnalyticsConversationQueryResponse =
            serde_json::from_str(r#"{"totalHits":0}"#).expect("valid answer");
        assert!(answer.conversations.is_empty());
        assert_eq!(answer.total_hits, Some(0));
    }

    #[test]
    fn the_query_body_leaves_out_what_is_not_set() {
        let body = ConversationQuery {
            interval: "a/b".into(),
            segment_filters: vec![DetailQueryFilter::any_of("queueId", &["q1".into()])],
            paging: Some(PagingSpec {
                page_size: 100,
                page_number: 2,
            }),
            ..ConversationQuery::default()
        };
        assert_eq!(
            serde_json::to_value(&body).expect("serialises"),
            serde_json::json!({
                "interval": "a/b",
                "segmentFilters": [{"type": "or", "predicates": [
                    {"type": "dimension", "dimension": "queueId", "operator": "matches", "value": "q1"}
                ]}],
                "paging": {"pageSize": 100, "pageNumber": 2}
            })
        );
    }

    #[test]
    fn the_wrapup_segment_and_queue_come_from_the_segments() {
        let session: AnalyticsSession = serde_json::from_value(serde_json::json!({
            "sessionId": "c1", "mediaType": "voice",
            "segments": [
                {"segmentType": "interact", "queueId": "q1"},
                {"segmentType": "wrapup", "queueId": "q1", "wrapUpCode": "w1"}
            ]
        }))
        .expect("valid session");
        assert_eq!(
            session
                .wrapup_segment()
                .and_then(|s| s.wrap_up_code.as_deref()),
            Some("w1")
        );
        assert_eq!(session.queue_id(), Some("q1"));
    }
}
