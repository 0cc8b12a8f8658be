//! Indexes that keep the details query fast at 100,000 conversations: the conversations
//! sorted by start (the query's default order and its interval selection), and the matches of
//! recent filtered queries, so a walk over a thousand pages evaluates its filters once.
//!
//! What a query matches changes when conversations are added or removed or a participant's
//! state changes; the routes that do so call [`DetailsIndex::invalidate`] (adding or removing
//! is also caught by the count). Wrap-up writes change only the wrap-up dimensions, so queries
//! that filter on those are never served from the cache.

use std::collections::HashMap;
use std::sync::Arc;

use time::{Duration, OffsetDateTime, UtcOffset};
use uuid::Uuid;

use crate::analytics::query::{Filter, Interval};
use crate::clock::iso;
use crate::store::{Conversation, Store};

/// How many filtered queries' matches are kept.
const CACHED_QUERIES: usize = 16;

/// Dimensions a wrap-up write changes: a query filtering on them is evaluated every time.
const WRAPUP_DIMENSIONS: [&str; 2] = ["wrapUpCode", "wrapUpNote"];

/// The conversation ids a query matches, in start order (then id).
pub type Matches = Arc<Vec<Uuid>>;

/// Conversations by start time and the matches of recent queries.
#[derive(Default)]
pub struct DetailsIndex {
    /// The conversation count the index was built for; `None` when it must be rebuilt.
    built_for: Option<usize>,
    by_start: Vec<(String, Uuid)>,
    queries: HashMap<String, Matches>,
}

/// Whether any predicate of `filters` reads a dimension wrap-up writes change.
pub fn reads_wrapups(filters: &[Filter]) -> bool {
    filters.iter().any(|f| {
        f.predicates
            .iter()
            .chain(f.clauses.iter().flat_map(|c| &c.predicates))
            .any(|p| {
                p.dimension
                    .as_deref()
                    .is_some_and(|d| WRAPUP_DIMENSIONS.contains(&d))
            })
    })
}

fn day_start(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(UtcOffset::UTC)
        .replace_time(time::Time::MIDNIGHT)
}

impl DetailsIndex {
    /// Forgets everything: the next query rebuilds the index.
    pub fn invalidate(&mut self) {
        self.built_for = None;
        self.queries.clear();
    }

    fn ensure(&mut self, store: &Store) {
        if self.built_for == Some(store.conversations.len()) {
            return;
        }
        self.by_start = store
            .conversations
            .values()
            .map(|c| (c.start_time.clone(), c.id))
            .collect();
        self.by_start.sort_unstable();
        self.queries.clear();
        self.built_for = Some(store.conversations.len());
    }

    /// The conversations that started on a (UTC) day `interval` touches, in start order.
    /// Start times are stored in one fixed UTC format, so their text sorts as time does.
    fn in_days(&self, interval: &Interval) -> &[(String, Uuid)] {
        let from = iso(day_start(interval.start));
        let last = interval.end - Duration::nanoseconds(1);
        let until = iso(day_start(last) + Duration::days(1));
        let lo = self
            .by_start
            .partition_point(|(s, _)| s.as_str() < from.as_str());
        let hi = self
            .by_start
            .partition_point(|(s, _)| s.as_str() < until.as_str());
        &self.by_start[lo..hi.max(lo)]
    }

    /// The ids `key`'s query matches among the conversations started on the days `interval`
    /// touches, evaluating `keeps` only when the answer is not cached.
    pub fn matches(
        &mut self,
        store: &Store,
        interval: &Interval,
        key: String,
        keeps: impl Fn(&Conversation) -> bool,
    ) -> Matches {
        self.ensure(store);
        if let Some(hit) = self.queries.get(&key) {
            return hit.clone();
        }
        let found: Vec<Uuid> = self
            .in_days(interval)
            .iter()
            .filter(|(_, id)| store.conversations.get(id).is_some_and(&keeps))
            .map(|(_, id)| *id)
            .collect();
        if self.queries.len() >= CACHED_QUERIES {
            self.queries.clear();
        }
        let found = Arc::new(found);
        self.queries.insert(key, found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::Media;

    fn conversation(start: &str) -> Conversation {
        Conversation {
            id: Uuid::new_v4(),
            media: Media::Call,
            start_time: start.into(),
            participants: Vec::new(),
        }
    }

    #[test]
    fn the_days_an_interval_touches_select_by_start_and_a_change_in_count_rebuilds() {
        let mut store = Store::default();
        for start in [
            "2026-11-29T23:59:59.999Z",
            "2026-11-30T00:00:00.000Z",
            "2026-11-30T23:59:59.999Z",
            "2026-12-01T00:00:00.000Z",
        ] {
            let c = conversation(start);
            store.conversations.insert(c.id, c);
        }
        let interval =
            Interval::parse("2026-11-30T10:00:00Z/2026-11-30T12:00:00Z").expect("valid interval");
        let mut index = DetailsIndex::default();
        let all = index.matches(&store, &interval, "all".into(), |_| true);
        assert_eq!(all.len(), 2);
        // Cached: a predicate that would refuse everything is not evaluated again.
        assert_eq!(
            index
                .matches(&store, &interval, "all".into(), |_| false)
                .len(),
            2
        );
        let c = conversation("2026-11-30T11:00:00.000Z");
        store.conversations.insert(c.id, c);
        assert_eq!(
            index
                .matches(&store, &interval, "all".into(), |_| true)
                .len(),
            3
        );
        index.invalidate();
        assert!(
            index
                .matches(&store, &interval, "all".into(), |_| false)
                .is_empty()
        );
    }
}
