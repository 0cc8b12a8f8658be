//! The conversation details query (ConversationQuery): interval, conversation and segment
//! filters, order and paging, checked the way the platform checks them.

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

use crate::analytics::view::{ConversationView, DimensionValue};
use crate::error::ApiError;

/// Largest `paging.pageSize` of a details query.
pub const MAX_QUERY_PAGE_SIZE: u64 = 100;
/// `paging.pageSize` when the query names none.
pub const DEFAULT_QUERY_PAGE_SIZE: u64 = 25;
/// How deep paging may reach: `pageNumber × pageSize` may not exceed this.
pub const MAX_QUERY_RESULTS: u64 = 100_000;
/// Longest interval a details query accepts, in days.
pub const MAX_INTERVAL_DAYS: i64 = 31;

/// The request body. Unknown fields are refused; the emulator supports the fields below.
#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConversationQuery {
    pub interval: Option<String>,
    #[serde(default)]
    pub conversation_filters: Vec<Filter>,
    #[serde(default)]
    pub segment_filters: Vec<Filter>,
    pub order: Option<String>,
    pub order_by: Option<String>,
    pub paging: Option<PagingSpec>,
}

/// `{pageSize, pageNumber}`.
#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PagingSpec {
    pub page_size: Option<i64>,
    pub page_number: Option<i64>,
}

/// A ConversationDetailQueryFilter or SegmentDetailQueryFilter.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filter {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub clauses: Vec<Clause>,
    #[serde(default)]
    pub predicates: Vec<Predicate>,
}

/// A clause: predicates joined by `and` or `or`.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Clause {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub predicates: Vec<Predicate>,
}

/// One predicate; only dimension predicates are served.
#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Predicate {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub dimension: Option<String>,
    pub operator: Option<String>,
    pub value: Option<String>,
}

/// A closed interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
}

impl Interval {
    /// Parses `start/end` (ISO-8601 date-times) and checks its order and length.
    pub fn parse(raw: &str) -> Result<Interval, ApiError> {
        let bad = |why: &str| {
            ApiError::invalid_value(
                "interval",
                format!(
                    "Invalid interval '{raw}': {why}. Use ISO-8601 start/end, e.g. 2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z."
                ),
            )
        };
        let (start, end) = raw.split_once('/').ok_or_else(|| bad("no '/'"))?;
        let parse = |s: &str| OffsetDateTime::parse(s.trim(), &Rfc3339);
        let start = parse(start).map_err(|_| bad("the start is not a date-time"))?;
        let end = parse(end).map_err(|_| bad("the end is not a date-time"))?;
        if end <= start {
            return Err(bad("the end must be after the start"));
        }
        if end - start > Duration::days(MAX_INTERVAL_DAYS) {
            return Err(ApiError::invalid_value(
                "interval",
                format!("Invalid interval '{raw}': it may not exceed {MAX_INTERVAL_DAYS} days."),
            )
            .with_param("maxDays", MAX_INTERVAL_DAYS.to_string()));
        }
        Ok(Interval { start, end })
    }

    /// Whether a conversation that started at `start` is selected: the platform includes
    /// conversations that started on a (UTC) day the interval touches.
    pub fn selects_start(&self, start: OffsetDateTime) -> bool {
        let first: Date = self.start.to_offset(time::UtcOffset::UTC).date();
        let last: Date = (self.end - Duration::nanoseconds(1))
            .to_offset(time::UtcOffset::UTC)
            .date();
        let day = start.to_offset(time::UtcOffset::UTC).date();
        first <= day && day <= last
    }
}

/// A page of a details query, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryPage {
    pub size: u64,
    pub number: u64,
}

impl QueryPage {
    /// Checks `paging` against the platform's limits.
    pub fn from_spec(spec: Option<PagingSpec>) -> Result<QueryPage, ApiError> {
        let size = spec.and_then(|p| p.page_size);
        let number = spec.and_then(|p| p.page_number);
        let size = match size {
            None => DEFAULT_QUERY_PAGE_SIZE,
            Some(n) if n >= 1 && n as u64 <= MAX_QUERY_PAGE_SIZE => n as u64,
            Some(n) => {
                return Err(ApiError::invalid_value(
                    "paging.pageSize",
                    format!("pageSize {n} must be between 1 and {MAX_QUERY_PAGE_SIZE}."),
                ));
            }
        };
        let number = match number {
            None => 1,
            Some(n) if n >= 1 => n as u64,
            Some(n) => {
                return Err(ApiError::invalid_value(
                    "paging.pageNumber",
                    format!("pageNumber {n} must be at least 1."),
                ));
            }
        };
        if number.saturating_mul(size) > MAX_QUERY_RESULTS {
            return Err(ApiError::bad_request(format!(
                "Pagination may not exceed {MAX_QUERY_RESULTS} results."
            )));
        }
        Ok(QueryPage { size, number })
    }
}

/// Conversation-level dimensions the emulator evaluates, with the field each reads.
const CONVERSATION_DIMENSIONS: [&str; 5] = [
    "conversationId",
    "conversationStart",
    "conversationEnd",
    "divisionId",
    "originatingDirection",
];

/// Segment-level dimensions the emulator evaluates. Each is looked up on the segment, then
/// its session, then its participant (e.g. `mediaType` is a session field, `purpose` a
/// participant field).
const SEGMENT_DIMENSIONS: [&str; 10] = [
    "queueId",
    "mediaType",
    "purpose",
    "userId",
    "participantName",
    "wrapUpCode",
    "wrapUpNote",
    "segmentType",
    "direction",
    "disconnectType",
];

/// Which list of filters a filter came from.
#[derive(Clone, Copy)]
pub enum Level {
    Conversation,
    Segment,
}

impl Level {
    fn field(self) -> &'static str {
        match self {
            Level::Conversation => "conversationFilters",
            Level::Segment => "segmentFilters",
        }
    }
    fn dimensions(self) -> &'static [&'static str] {
        match self {
            Level::Conversation => &CONVERSATION_DIMENSIONS,
            Level::Segment => &SEGMENT_DIMENSIONS,
        }
    }
}

fn check_kind(kind: &str, field: &str) -> Result<(), ApiError> {
    if matches!(kind, "and" | "or") {
        Ok(())
    } else {
        Err(ApiError::invalid_value(
            field,
            format!("Filter type '{kind}' is not valid: use and or or."),
        ))
    }
}

fn check_predicate(p: &Predicate, level: Level, field: &str) -> Result<(), ApiError> {
    match p.kind.as_deref() {
        None | Some("dimension") => {}
        Some(other) => {
            return Err(ApiError::invalid_value(
                &format!("{field}.type"),
                format!("The emulator only evaluates dimension predicates, not '{other}'."),
            ));
        }
    }
    let dimension = p.dimension.as_deref().ok_or_else(|| {
        ApiError::invalid_value(
            &format!("{field}.dimension"),
            "A dimension predicate needs a dimension.",
        )
    })?;
    if !level.dimensions().contains(&dimension) {
        return Err(ApiError::invalid_value(
            &format!("{field}.dimension"),
            format!(
                "Dimension '{dimension}' is not served by the emulator in {}; use one of {}.",
                level.field(),
                level.dimensions().join(", ")
            ),
        ));
    }
    match p.operator.as_deref() {
        None | Some("matches") if p.value.is_none() => Err(ApiError::invalid_value(
            &format!("{field}.value"),
            "A matches predicate needs a value.",
        )),
        None | Some("matches" | "exists" | "notExists") => Ok(()),
        Some(other) => Err(ApiError::invalid_value(
            &format!("{field}.operator"),
            format!("Operator '{other}' is not valid: use matches, exists or notExists."),
        )),
    }
}

/// Checks every filter of one level.
pub fn check_filters(filters: &[Filter], level: Level) -> Result<(), ApiError> {
    for (i, f) in filters.iter().enumerate() {
        let field = format!("{}[{i}]", level.field());
        check_kind(&f.kind, &format!("{field}.type"))?;
        if f.clauses.is_empty() && f.predicates.is_empty() {
            return Err(ApiError::invalid_value(
                &field,
                "A filter needs at least one predicate or clause.",
            ));
        }
        for (j, p) in f.predicates.iter().enumerate() {
            check_predicate(p, level, &format!("{field}.predicates[{j}]"))?;
        }
        for (j, c) in f.clauses.iter().enumerate() {
            let clause = format!("{field}.clauses[{j}]");
            check_kind(&c.kind, &format!("{clause}.type"))?;
            for (k, p) in c.predicates.iter().enumerate() {
                check_predicate(p, level, &format!("{clause}.predicates[{k}]"))?;
            }
        }
    }
    Ok(())
}

fn predicate_holds<'a>(p: &Predicate, lookup: impl Fn(&str) -> Option<DimensionValue<'a>>) -> bool {
    let found = lookup(p.dimension.as_deref().unwrap_or_default());
    match p.operator.as_deref() {
        Some("exists") => found.is_some(),
        Some("notExists") => found.is_none(),
        _ => p
            .value
            .as_deref()
            .is_some_and(|want| found.is_some_and(|value| value.equals(want))),
    }
}

fn join(kind: &str, mut results: impl Iterator<Item = bool>) -> bool {
    if kind == "or" {
        results.any(|b| b)
    } else {
        results.all(|b| b)
    }
}

fn filter_holds<'a>(
    f: &Filter,
    lookup: impl Fn(&str) -> Option<DimensionValue<'a>> + Copy,
) -> bool {
    let predicates = f.predicates.iter().map(|p| predicate_holds(p, lookup));
    let clauses = f.clauses.iter().map(|c| {
        join(
            &c.kind,
            c.predicates.iter().map(|p| predicate_holds(p, lookup)),
        )
    });
    join(&f.kind, predicates.chain(clauses))
}

/// Whether an analytics conversation view passes every filter: conversation filters on the
/// conversation, and each segment filter on at least one of its segments, a dimension being
/// read from the segment, else its session, else its participant.
pub fn matches(
    view: &ConversationView<'_>,
    conversation_filters: &[Filter],
    segment_filters: &[Filter],
) -> bool {
    if !conversation_filters
        .iter()
        .all(|f| filter_holds(f, |d| view.dimension(d)))
    {
        return false;
    }
    segment_filters.iter().all(|f| {
        view.participants().any(|p| {
            p.sessions().any(|s| {
                s.segments().any(|seg| {
                    filter_holds(f, |d| {
                        seg.dimension(d)
                            .or_else(|| s.dimension(d))
                            .or_else(|| p.dimension(d))
                    })
                })
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn interval_must_be_closed_ordered_and_at_most_31_days() {
        assert!(Interval::parse("2026-11-30T00:00:00Z/2026-12-01T00:00:00Z").is_ok());
        for bad in [
            "2026-11-30T00:00:00Z",
            "2026-11-30T00:00:00Z/",
            "2026-12-01T00:00:00Z/2026-11-30T00:00:00Z",
            "2026-10-01T00:00:00Z/2026-11-30T00:00:00Z",
        ] {
            let err = Interval::parse(bad).expect_err(bad);
            assert_eq!(err.status().as_u16(), 400, "{bad}");
        }
    }

    #[test]
    fn interval_selects_conversations_started_on_a_touched_day() {
        let i = Interval::parse("2026-11-30T10:00:00Z/2026-12-01T00:00:00Z").expect("valid");
        let at = |s: &str| OffsetDateTime::parse(s, &Rfc3339).expect("literal");
        assert!(i.selects_start(at("2026-11-30T01:00:00Z")));
        assert!(i.selects_start(at("2026-11-30T23:59:59Z")));
        assert!(!i.selects_start(at("2026-12-01T00:00:00Z")));
        assert!(!i.selects_start(at("2026-11-29T23:59:59Z")));
    }

    #[test]
    fn paging_limits() {
        let spec = |size, number| {
            Some(PagingSpec {
                page_size: Some(size),
                page_number: Some(number),
            })
        };
        assert_eq!(
            QueryPage::from_spec(None).ok(),
            Some(QueryPage {
                size: 25,
                number: 1
            })
        );
        assert!(QueryPage::from_spec(spec(100, 1000)).is_ok());
        assert!(QueryPage::from_spec(spec(101, 1)).is_err());
        assert!(QueryPage::from_spec(spec(0, 1)).is_err());
        assert!(QueryPage::from_spec(spec(100, 1001)).is_err());
    }

    /// Whether the fixture conversation `id` passes the filters (given as JSON).
    fn fixture_holds(id: uuid::Uuid, conversation: Value, segment: Value) -> bool {
        use crate::analytics::view;
        let filters =
            |json: Value| -> Vec<Filter> { serde_json::from_value(json).expect("filters") };
        let state = crate::analytics::fixture::state();
        let world = state.world();
        let c = &world.store.conversations[&id];
        matches(
            &view::ViewScope::new(&world).conversation(c),
            &filters(conversation),
            &filters(segment),
        )
    }

    #[test]
    fn each_dimension_is_read_where_the_view_holds_it() {
        use crate::analytics::fixture::{ENDED, LIVE};
        use crate::store::HOME_DIVISION_ID;
        let and = |predicates: Value| json!([{"type": "and", "predicates": predicates}]);
        let queue = "00000000-0000-0000-0000-0000000000e0";
        let code = "00000000-0000-0000-0000-0000000000d0";
        let none = json!([]);
        // Segment, session and participant dimensions together, on one segment.
        let agent_on_queue = and(json!([
            {"dimension": "queueId", "value": queue},
            {"dimension": "mediaType", "value": "voice"},
            {"dimension": "purpose", "value": "agent"},
            {"dimension": "direction", "value": "outbound"},
            {"dimension": "userId", "value": "00000000-0000-0000-0000-0000000001a1"},
            {"dimension": "participantName", "value": "Agent A"},
            {"dimension": "disconnectType", "value": "endpoint"}
        ]));
        assert!(fixture_holds(ENDED, none.clone(), agent_on_queue));
        // Ids compare as the answers write them: an upper-case id matches nothing.
        let upper = and(json!([{"dimension": "queueId", "value": queue.to_uppercase()}]));
        assert!(!fixture_holds(ENDED, none.clone(), upper));
        let other_queues = json!([{"type": "or", "predicates": [
            {"dimension": "queueId", "value": "00000000-0000-0000-0000-0000000000e1"},
            {"dimension": "queueId", "value": "00000000-0000-0000-0000-0000000000e2"}
        ]}]);
        assert!(!fixture_holds(ENDED, none.clone(), other_queues));
        // One segment must pass the whole filter: the code is on wrap-up segments only.
        let coded_interaction = and(json!([
            {"dimension": "segmentType", "value": "interact"},
            {"dimension": "wrapUpCode", "operator": "exists"}
        ]));
        assert!(!fixture_holds(ENDED, none.clone(), coded_interaction));
        let coded = and(json!([
            {"dimension": "segmentType", "value": "wrapup"},
            {"dimension": "wrapUpCode", "value": code},
            {"dimension": "wrapUpNote", "value": "Called back"}
        ]));
        assert!(fixture_holds(ENDED, none.clone(), coded));
        // Provisional and lagging wrap-ups show no code; agent 2 has none at all.
        let uncoded = and(json!([
            {"dimension": "segmentType", "value": "wrapup"},
            {"dimension": "wrapUpCode", "operator": "notExists"}
        ]));
        assert!(fixture_holds(ENDED, none.clone(), uncoded.clone()));
        assert!(!fixture_holds(LIVE, none.clone(), uncoded));
        // Conversation dimensions; the live conversation has no end and an unknown media type.
        let home = HOME_DIVISION_ID.to_string();
        let ended_here = and(json!([
            {"dimension": "divisionId", "value": home},
            {"dimension": "conversationEnd", "operator": "exists"},
            {"dimension": "originatingDirection", "value": "inbound"},
            {"dimension": "conversationStart", "value": "2026-11-30T10:00:00.000Z"},
            {"dimension": "conversationId", "value": ENDED.to_string()}
        ]));
        assert!(fixture_holds(ENDED, ended_here.clone(), none.clone()));
        assert!(!fixture_holds(LIVE, ended_here, none.clone()));
        let live_social = and(json!([{"dimension": "mediaType", "value": "unknown"}]));
        assert!(fixture_holds(
            LIVE,
            and(json!([{"dimension": "conversationEnd", "operator": "notExists"}])),
            live_social
        ));
    }

    #[test]
    fn unsupported_dimensions_and_operators_are_refused() {
        let filter = |json: Value| -> Filter { serde_json::from_value(json).expect("filter") };
        let bad =
            filter(json!({"type": "and", "predicates": [{"dimension": "flowId", "value": "x"}]}));
        assert!(check_filters(&[bad], Level::Segment).is_err());
        let bad =
            filter(json!({"type": "xor", "predicates": [{"dimension": "queueId", "value": "x"}]}));
        assert!(check_filters(&[bad], Level::Segment).is_err());
        let bad = filter(json!({"type": "and", "predicates": [{"dimension": "queueId"}]}));
        assert!(check_filters(&[bad], Level::Segment).is_err());
        let ok = filter(
            json!({"type": "and", "predicates": [{"dimension": "wrapUpCode", "operator": "exists"}]}),
        );
        assert!(check_filters(&[ok], Level::Segment).is_ok());
    }
}
