//! Data source `genesyscloud_conversations`: the agent participants of conversations that ended
//! in a closed interval, found through the analytics conversation details query, for back-fill
//! `for_each`. One entry per agent participant.
//!
//! The platform's query selects conversations that *started* on a day the interval touches;
//! this data source keeps those that *ended* inside the interval, so the result of a closed
//! interval in the past does not change as time passes. The `queue_ids` and `media_types`
//! filters are sent to the platform (fewer pages) and checked again per participant; `wrapup`
//! is applied here, to the wrap-up analytics holds.

use std::sync::Arc;

use async_trait::async_trait;

use crate::platform::ConversationsView;
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::{ClientView, PlatformError, StringSet, is_uuid};
use genesys_client::models::{AnalyticsConversation, DetailQueryFilter};
use genesys_client::{Interval, MAX_INTERVAL_DAYS};
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::model::CtyConvert;
use tfplugin_framework::tf_model;
use tfplugin_framework::{Attribute, Block, DataSource, Diagnostics, Model, Schema, TfValue};
use tfplugin_framework::{attr_name, attr_path};

/// The Terraform type name.
pub const TYPE_NAME: &str = "genesyscloud_conversations";

/// Media types as analytics names them, the values `media_types` accepts.
pub const MEDIA_TYPES: [&str; 8] = [
    "voice",
    "callback",
    "chat",
    "cobrowse",
    "email",
    "message",
    "screenshare",
    "video",
];

/// The `wrapup` filter's values.
pub const WRAPUP_FILTERS: [&str; 3] = ["missing", "present", "any"];

tf_model! {
    /// One agent participant of a matching conversation.
    pub struct ConversationEntryModel {
        pub conversation_id: TfValue<String>,
        pub participant_id: TfValue<String>,
        /// The communication (analytics session) of the participant.
        pub communication_id: TfValue<String>,
        pub media_type: TfValue<String>,
        pub queue_id: TfValue<String>,
        /// Whether the participant had after-call work (analytics shows a wrap-up segment).
        pub wrapup_required: TfValue<bool>,
        /// The wrap-up code analytics holds for the participant; null when none.
        pub wrapup_code_id: TfValue<String>,
        /// When the participant's communication ended.
        pub ended_at: TfValue<String>,
    }
}

tf_model! {
    /// Configuration and result of the data source.
    pub struct ConversationsDataModel {
        pub interval: TfValue<String>,
        pub queue_ids: TfValue<StringSet>,
        pub media_types: TfValue<StringSet>,
        pub wrapup: TfValue<String>,
        pub conversations: TfValue<Vec<ConversationEntryModel>>,
    }
}

/// The data source.
pub struct ConversationsData {
    client: ClientView,
    conversations: ConversationsView,
}

impl ConversationsData {
    /// The data source over the provider's shared client. What it finds is handed to the
    /// conversation view, so the wrap-ups refreshed in the same run are served from it.
    pub fn new(client: ClientView, conversations: ConversationsView) -> Arc<Self> {
        Arc::new(ConversationsData {
            client,
            conversations,
        })
    }
}

/// The data source schema.
pub fn data_source_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "The agent participants of Genesys Cloud conversations that ended in a \
                          closed interval, from the analytics conversation details query: one \
                          entry per agent participant, for a back-fill `for_each` over \
                          `genesyscloud_conversation_wrapup`."
                .into(),
            attributes: vec![
                Attribute::required(attr_name!(ConversationsDataModel.interval), Type::String)
                    .description(format!(
                        "Closed ISO-8601 interval `start/end` with time zones, e.g. \
                         `2026-11-30T00:00:00Z/2026-12-01T00:00:00Z`; at most \
                         {MAX_INTERVAL_DAYS} days (the platform's limit). Conversations that \
                         ended in `[start, end)` and started on a day it touches are returned."
                    )),
                Attribute::optional(
                    attr_name!(ConversationsDataModel.queue_ids),
                    Type::set(Type::String),
                )
                .description("Only participants routed through one of these queue IDs."),
                Attribute::optional(
                    attr_name!(ConversationsDataModel.media_types),
                    Type::set(Type::String),
                )
                .description(format!(
                    "Only these media types (analytics names): {}.",
                    MEDIA_TYPES.join(", ")
                )),
                Attribute::optional(attr_name!(ConversationsDataModel.wrapup), Type::String)
                    .description(
                        "`missing` (wrap-up required and none held), `present` (a wrap-up code is \
                     held) or `any` (the default). `missing` changes its result once the \
                     wrap-ups exist, so never key a `for_each` on it: see the back-fill guide.",
                    ),
                Attribute::computed(
                    attr_name!(ConversationsDataModel.conversations),
                    Type::list(ConversationEntryModel::cty_type()),
                )
                .description(
                    "The matching agent participants, ordered by `ended_at`, then conversation \
                     and participant ID: `conversation_id`, `participant_id`, \
                     `communication_id`, `media_type`, `queue_id`, `wrapup_required`, \
                     `wrapup_code_id` (null when analytics holds none) and `ended_at`.",
                ),
            ],
            ..Block::default()
        },
    }
}

/// The `wrapup` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WrapupFilter {
    Missing,
    Present,
    Any,
}

impl WrapupFilter {
    fn parse(raw: Option<&str>) -> Option<WrapupFilter> {
        match raw {
            None | Some("any") => Some(WrapupFilter::Any),
            Some("missing") => Some(WrapupFilter::Missing),
            Some("present") => Some(WrapupFilter::Present),
            Some(_) => None,
        }
    }

    fn keeps(self, entry: &ConversationEntryModel) -> bool {
        let coded = !entry.wrapup_code_id.is_null();
        match self {
            WrapupFilter::Any => true,
            WrapupFilter::Present => coded,
            WrapupFilter::Missing => {
                !coded && matches!(entry.wrapup_required, TfValue::Known(true))
            }
        }
    }
}

/// Checks what is known of the configuration; problems go on their attribute.
fn check(config: &ConversationsDataModel, diagnostics: &mut Diagnostics) -> Option<Interval> {
    let interval = match config.interval.as_str() {
        Some(raw) => match Interval::parse(raw) {
            Ok(interval) => Some(interval),
            Err(error) => {
                diagnostics.attribute_error(
                    attr_path!(ConversationsDataModel.interval),
                    "Invalid interval",
                    error.to_string(),
                );
                None
            }
        },
        None => None,
    };
    if let Some(ids) = config.queue_ids.known()
        && let Some(bad) = ids.known_elements().find(|id| !is_uuid(id))
    {
        diagnostics.attribute_error(
            attr_path!(ConversationsDataModel.queue_ids),
            "Invalid queue ID",
            format!("{bad:?} is not a queue ID (a UUID); look queues up by name with the genesyscloud_routing_queue data source."),
        );
    }
    if let Some(types) = config.media_types.known()
        && let Some(bad) = types.known_elements().find(|t| !MEDIA_TYPES.contains(t))
    {
        diagnostics.attribute_error(
            attr_path!(ConversationsDataModel.media_types),
            "Invalid media type",
            format!(
                "{bad:?} is not a media type; use one of {}.",
                MEDIA_TYPES.join(", ")
            ),
        );
    }
    if let Some(raw) = config.wrapup.as_str()
        && WrapupFilter::parse(Some(raw)).is_none()
    {
        diagnostics.attribute_error(
            attr_path!(ConversationsDataModel.wrapup),
            "Invalid wrap-up filter",
            format!(
                "{raw:?} is not a wrap-up filter; use one of {}.",
                WRAPUP_FILTERS.join(", ")
            ),
        );
    }
    interval
}

/// A set filter's values when all are known; an absent filter is empty.
fn known_set(set: &TfValue<StringSet>) -> Option<Vec<String>> {
    match set {
        TfValue::Null => Some(Vec::new()),
        TfValue::Unknown(_) => None,
        TfValue::Known(set) => set.known().map(|s| s.into_iter().collect()),
    }
}

/// The agent participants of one conversation, as entries, when it ended in the interval.
fn entries(interval: &Interval, c: &AnalyticsConversation) -> Vec<ConversationEntryModel> {
    let Some(end) = c.conversation_end.as_deref() else {
        return Vec::new();
    };
    if !interval.contains(end) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in &c.participants {
        if !matches!(p.purpose.as_deref(), Some("agent" | "user")) {
            continue;
        }
        // One entry per participant: the session with after-call work, else the last one.
        let Some(session) = p
            .sessions
            .iter()
            .rev()
            .find(|s| s.wrapup_segment().is_some())
            .or_else(|| p.sessions.last())
        else {
            continue;
        };
        let wrapup = session.wrapup_segment();
        let ended_at = wrapup
            .and_then(|w| w.segment_start.clone())
            .or_else(|| {
                session
                    .segments
                    .iter()
                    .filter_map(|s| s.segment_end.clone())
                    .max()
            })
            .unwrap_or_else(|| end.to_owned());
        out.push(ConversationEntryModel {
            conversation_id: c.conversation_id.clone().into(),
            participant_id: p.participant_id.clone().into(),
            communication_id: session.session_id.clone().into(),
            media_type: session.media_type.clone().into(),
            queue_id: session.queue_id().map(str::to_owned).into(),
            wrapup_required: TfValue::Known(wrapup.is_some()),
            wrapup_code_id: wrapup.and_then(|w| w.wrap_up_code.clone()).into(),
            ended_at: ended_at.into(),
        });
    }
    out
}

#[async_trait]
impl DataSource for ConversationsData {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        data_source_schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = ConversationsDataModel::read(config, &mut diagnostics) {
            check(&config, &mut diagnostics);
        }
        diagnostics
    }

    async fn read(&self, config: Value) -> (Option<Value>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let Some(config) = ConversationsDataModel::read(&config, &mut diagnostics) else {
            return (None, diagnostics);
        };
        let interval = check(&config, &mut diagnostics);
        if diagnostics.has_errors() {
            return (None, diagnostics);
        }
        let Some(interval) = interval else {
            diagnostics.attribute_error(
                attr_path!(ConversationsDataModel.interval),
                "Interval is required",
                "Set `interval` to a closed ISO-8601 interval `start/end`.",
            );
            return (None, diagnostics);
        };
        let filter = WrapupFilter::parse(config.wrapup.as_str()).unwrap_or(WrapupFilter::Any);
        let (Some(queues), Some(media)) =
            (known_set(&config.queue_ids), known_set(&config.media_types))
        else {
            diagnostics.error(
                "Filters must be known",
                "queue_ids and media_types must be known when the data source is read.",
            );
            return (None, diagnostics);
        };
        let mut segment_filters = Vec::new();
        if !queues.is_empty() {
            segment_filters.push(DetailQueryFilter::any_of("queueId", &queues));
        }
        if !media.is_empty() {
            segment_filters.push(DetailQueryFilter::any_of("mediaType", &media));
        }
        let found = match self.client.get().await {
            Ok(client) => client
                .analytics()
                .query_all_details(&interval, segment_filters)
                .await
                .map_err(PlatformError::from),
            Err(error) => Err(error),
        };
        let found = match found {
            Ok(found) => found,
            Err(error) => {
                error.to_diagnostics("find conversations", &mut diagnostics);
                return (None, diagnostics);
            }
        };
        if let Ok(api) = self.conversations.get().await {
            api.prefetched(&found.conversations);
        }
        let mut list: Vec<ConversationEntryModel> = found
            .conversations
            .iter()
            .flat_map(|c| entries(&interval, c))
            .filter(|e| {
                queues.is_empty()
                    || e.queue_id
                        .as_str()
                        .is_some_and(|q| queues.iter().any(|x| x == q))
            })
            .filter(|e| {
                media.is_empty()
                    || e.media_type
                        .as_str()
                        .is_some_and(|m| media.iter().any(|x| x == m))
            })
            .filter(|e| filter.keeps(e))
            .collect();
        list.sort_by(|a, b| {
            let key = |e: &ConversationEntryModel| {
                (
                    e.ended_at.as_str().unwrap_or_default().to_owned(),
                    e.conversation_id.as_str().unwrap_or_default().to_owned(),
                    e.participant_id.as_str().unwrap_or_default().to_owned(),
                )
            };
            key(a).cmp(&key(b))
        });
        tracing::debug!(
            pages = found.pages,
            conversations = found.conversations.len(),
            participants = list.len(),
            "conversation details query"
        );
        let state = ConversationsDataModel {
            conversations: TfValue::Known(list),
            ..config
        };
        (Some(state.to_value()), diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    #[test]
    fn the_model_matches_the_schema_and_round_trips() {
        assert_model_matches::<ConversationsDataModel>(&data_source_schema().value_type());
        assert_round_trips(&[
            ConversationsDataModel {
                interval: "a/b".into(),
                ..ConversationsDataModel::default()
            },
            ConversationsDataModel {
                interval: "a/b".into(),
                queue_ids: TfValue::Known(StringSet::of(["q".to_owned()])),
                media_types: TfValue::unknown(),
                wrapup: "missing".into(),
                conversations: TfValue::Known(vec![ConversationEntryModel {
                    conversation_id: "c".into(),
                    participant_id: "p".into(),
                    communication_id: "m".into(),
                    media_type: "voice".into(),
                    queue_id: TfValue::Null,
                    wrapup_required: TfValue::Known(true),
                    wrapup_code_id: TfValue::Null,
                    ended_at: "t".into(),
                }]),
            },
        ]);
    }

    fn conversation(end: &str, wrapup_code: Option<&str>) -> AnalyticsConversation {
        serde_json::from_value(serde_json::json!({
            "conversationId": "c1",
            "conversationEnd": end,
            "participants": [
                {"participantId": "cust", "purpose": "customer", "sessions": [{"sessionId": "s0", "segments": []}]},
                {"participantId": "p1", "purpose": "agent", "sessions": [{
                    "sessionId": "s1", "mediaType": "voice",
                    "segments": [
                        {"segmentType": "interact", "queueId": "q1", "segmentEnd": end},
                        {"segmentType": "wrapup", "queueId": "q1", "segmentStart": end, "wrapUpCode": wrapup_code}
                    ]
                }]}
            ]
        }))
        .expect("valid conversation")
    }

    #[test]
    fn one_entry_per_agent_participant_that_ended_in_the_interval() {
        let interval = Interval::parse("2026-11-30T00:00:00Z/2026-12-01T00:00:00Z").expect("valid");
        let inside = entries(&interval, &conversation("2026-11-30T10:00:00.000Z", None));
        assert_eq!(inside.len(), 1);
        let entry = &inside[0];
        assert_eq!(entry.participant_id.as_str(), Some("p1"));
        assert_eq!(entry.communication_id.as_str(), Some("s1"));
        assert_eq!(entry.queue_id.as_str(), Some("q1"));
        assert_eq!(entry.wrapup_required, TfValue::Known(true));
        assert!(entry.wrapup_code_id.is_null());
        assert!(WrapupFilter::Missing.keeps(entry));
        assert!(!WrapupFilter::Present.keeps(entry));
        let coded = entries(
            &interval,
            &conversation("2026-11-30T10:00:00.000Z", Some("w1")),
        );
        assert!(!WrapupFilter::Missing.keeps(&coded[0]));
        assert!(WrapupFilter::Present.keeps(&coded[0]));
        assert!(entries(&interval, &conversation("2026-12-01T00:00:00.000Z", None)).is_empty());
    }

    #[test]
    fn bad_filters_are_errors_on_their_attribute() {
        let config = ConversationsDataModel {
            interval: "2026-10-01T00:00:00Z/2026-11-30T00:00:00Z".into(),
            queue_ids: TfValue::Known(StringSet::of(["Support".to_owned()])),
            media_types: TfValue::Known(StringSet::of(["fax".to_owned()])),
            wrapup: "none".into(),
            conversations: TfValue::unknown(),
        };
        let mut diagnostics = Diagnostics::default();
        assert!(check(&config, &mut diagnostics).is_none());
        assert_eq!(diagnostics.0.len(), 4, "{diagnostics:?}");
        assert!(diagnostics.0[0].detail.contains("at most 31 days"));
    }
}
