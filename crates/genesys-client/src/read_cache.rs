//! A per-process read cache for bulk refresh: the first read of an entity kind lists every
//! entity with the largest page size and later reads are served from that listing, so
//! refreshing N objects costs about ⌈N / page size⌉ calls instead of N.
//!
//! The cache is only ever trusted for what it *has*: an ID missing from the listing is looked
//! up with a GET (the platform's listings can lag behind writes, and objects created after the
//! listing are not in it). An entry that came from the listing (not from a GET or a write of
//! this process) may be stale, so [`ReadCache::get_checked`] confirms it with a GET whenever the
//! caller's check says it differs from what the caller holds: a lagging listing cannot report
//! drift that is not there. Writes patch the cache (the platform view sends them through it),
//! so it never serves a value older than one the provider itself wrote.
//!
//! What no listing can prove: an edit made outside within the listing's lag, whose listing
//! entry still shows the value the caller holds. Only a GET per entity sees that; a run that
//! must see it turns the cache off (`read_cache = false`).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::Mutex;

/// An entity the cache can hold: anything with a stable ID.
pub trait Cacheable: Clone + Send + Sync + 'static {
    fn cache_id(&self) -> &str;
}

/// Where the cache gets its data: a complete listing and a single lookup by ID.
#[async_trait]
pub trait CacheSource<T: Cacheable>: Send + Sync {
    type Error: Send;
    /// Every entity, walking all pages with the largest page size.
    async fn list_all(&self) -> Result<Vec<T>, Self::Error>;
    /// One entity by ID; `Ok(None)` when the platform says it does not exist.
    async fn get_by_id(&self, id: &str) -> Result<Option<T>, Self::Error>;
    /// Whether a failed listing must be reported rather than worked around with reads by ID
    /// (e.g. refused credentials: the read by ID would fail the same way).
    fn is_fatal(_error: &Self::Error) -> bool {
        false
    }
}

/// One cached entity and whether this process confirmed it (a GET or its own write) or only
/// saw it in the listing.
struct Entry<T> {
    entity: T,
    confirmed: bool,
}

enum Fill<T> {
    /// Nothing listed yet; the next read lists.
    Empty,
    /// The listing, patched by the provider's own writes and GETs since.
    Loaded(HashMap<String, Entry<T>>),
    /// Listing failed once: stop trying in this process and read by ID.
    Failed,
}

/// The read cache for one entity kind. Cheap to share behind an `Arc`.
pub struct ReadCache<T: Cacheable> {
    enabled: bool,
    fill: Mutex<Fill<T>>,
}

impl<T: Cacheable> fmt::Debug for ReadCache<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadCache")
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

impl<T: Cacheable> ReadCache<T> {
    /// A cache; when `enabled` is false every read goes straight to the source.
    pub fn new(enabled: bool) -> Arc<Self> {
        Arc::new(ReadCache {
            enabled,
            fill: Mutex::new(Fill::Empty),
        })
    }

    /// Whether reads may be served from a listing.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Reads one entity: from the listing when it holds the ID (listing first if this is the
    /// first read), else with a GET whose answer is remembered.
    pub async fn get<S>(&self, source: &S, id: &str) -> Result<Option<T>, S::Error>
    where
        S: CacheSource<T> + ?Sized,
    {
        self.get_checked(source, id, |_| true).await
    }

    /// Like [`get`](Self::get), but an entry known only from the listing for which `unchanged`
    /// is false (it differs from what the caller holds) is confirmed with a GET first: the
    /// listing may lag, and a cache must not report drift the platform does not have.
    pub async fn get_checked<S>(
        &self,
        source: &S,
        id: &str,
        unchanged: impl Fn(&T) -> bool + Send,
    ) -> Result<Option<T>, S::Error>
    where
        S: CacheSource<T> + ?Sized,
    {
        if !self.enabled {
            return source.get_by_id(id).await;
        }
        {
            let mut fill = self.fill.lock().await;
            Self::ensure_loaded(&mut fill, source).await?;
            if let Fill::Loaded(entities) = &*fill
                && let Some(entry) = entities.get(id)
                && (entry.confirmed || unchanged(&entry.entity))
            {
                return Ok(Some(entry.entity.clone()));
            }
        }
        self.fetch_one(source, id).await
    }

    /// Every cached entity, listing first if needed; `None` when the cache is off or the
    /// listing failed (callers then ask the platform directly).
    pub async fn snapshot<S>(&self, source: &S) -> Option<Vec<T>>
    where
        S: CacheSource<T> + ?Sized,
    {
        self.try_snapshot(source).await.ok().flatten()
    }

    /// Like [`snapshot`](Self::snapshot), but a listing failure the source calls fatal is
    /// returned instead of `None`.
    pub async fn try_snapshot<S>(&self, source: &S) -> Result<Option<Vec<T>>, S::Error>
    where
        S: CacheSource<T> + ?Sized,
    {
        if !self.enabled {
            return Ok(None);
        }
        let mut fill = self.fill.lock().await;
        Self::ensure_loaded(&mut fill, source).await?;
        Ok(match &*fill {
            Fill::Loaded(entities) => Some(entities.values().map(|e| e.entity.clone()).collect()),
            Fill::Empty | Fill::Failed => None,
        })
    }

    /// Records an entity the provider just created, updated or read.
    pub async fn put(&self, entity: T) {
        if let Fill::Loaded(entities) = &mut *self.fill.lock().await {
            entities.insert(
                entity.cache_id().to_owned(),
                Entry {
                    entity,
                    confirmed: true,
                },
            );
        }
    }

    /// Forgets an entity the provider deleted or found gone.
    pub async fn remove(&self, id: &str) {
        if let Fill::Loaded(entities) = &mut *self.fill.lock().await {
            entities.remove(id);
        }
    }

    async fn ensure_loaded<S>(fill: &mut Fill<T>, source: &S) -> Result<(), S::Error>
    where
        S: CacheSource<T> + ?Sized,
    {
        if !matches!(fill, Fill::Empty) {
            return Ok(());
        }
        *fill = match source.list_all().await {
            Ok(all) => Fill::Loaded(
                all.into_iter()
                    .map(|entity| {
                        let id = entity.cache_id().to_owned();
                        (
                            id,
                            Entry {
                                entity,
                                confirmed: false,
                            },
                        )
                    })
                    .collect(),
            ),
            Err(error) if S::is_fatal(&error) => {
                *fill = Fill::Failed;
                return Err(error);
            }
            Err(_) => {
                tracing::warn!("bulk listing for the read cache failed; reading by ID instead");
                Fill::Failed
            }
        };
        Ok(())
    }

    async fn fetch_one<S>(&self, source: &S, id: &str) -> Result<Option<T>, S::Error>
    where
        S: CacheSource<T> + ?Sized,
    {
        let found = source.get_by_id(id).await?;
        match &found {
            Some(entity) => self.put(entity.clone()).await,
            None => self.remove(id).await,
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex as StdMutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Code {
        id: String,
        name: String,
    }

    impl Cacheable for Code {
        fn cache_id(&self) -> &str {
            &self.id
        }
    }

    fn code(id: &str, name: &str) -> Code {
        Code {
            id: id.into(),
            name: name.into(),
        }
    }

    #[derive(Default)]
    struct FakePlatform {
        codes: StdMutex<Vec<Code>>,
        lists: AtomicUsize,
        gets: AtomicUsize,
        fail_list: bool,
    }

    impl FakePlatform {
        fn with(codes: Vec<Code>) -> Self {
            FakePlatform {
                codes: StdMutex::new(codes),
                ..FakePlatform::default()
            }
        }
        fn set(&self, codes: Vec<Code>) {
            *self.codes.lock().unwrap() = codes;
        }
    }

    #[async_trait]
    impl CacheSource<Code> for FakePlatform {
        type Error = String;
        async fn list_all(&self) -> Result<Vec<Code>, String> {
            self.lists.fetch_add(1, Ordering::SeqCst);
            if self.fail_list {
                return Err("listing refused".into());
            }
            Ok(self.codes.lock().unwrap().clone())
        }
        async fn get_by_id(&self, id: &str) -> Result<Option<Code>, String> {
            self.gets.fetch_add(1, Ordering::SeqCst);
            Ok(self
                .codes
                .lock()
                .unwrap()
                .iter()
                .find(|c| c.id == id)
                .cloned())
        }
    }

    fn many(n: usize) -> Vec<Code> {
        (0..n)
            .map(|i| code(&format!("id-{i}"), &format!("n-{i}")))
            .collect()
    }

    #[tokio::test]
    async fn many_reads_cost_one_listing() {
        let platform = FakePlatform::with(many(300));
        let cache = ReadCache::new(true);
        for i in 0..300 {
            let found = cache.get(&platform, &format!("id-{i}")).await.unwrap();
            assert_eq!(found.unwrap().name, format!("n-{i}"));
        }
        assert_eq!(platform.lists.load(Ordering::SeqCst), 1);
        assert_eq!(platform.gets.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn concurrent_first_reads_share_one_listing() {
        let platform = Arc::new(FakePlatform::with(many(50)));
        let cache = ReadCache::new(true);
        let mut tasks = Vec::new();
        for i in 0..50 {
            let (platform, cache) = (platform.clone(), cache.clone());
            tasks.push(tokio::spawn(async move {
                cache.get(&*platform, &format!("id-{i}")).await
            }));
        }
        for task in tasks {
            assert!(task.await.unwrap().unwrap().is_some());
        }
        assert_eq!(platform.lists.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_id_missing_from_the_listing_is_checked_with_a_get() {
        let platform = FakePlatform::with(many(2));
        let cache = ReadCache::new(true);
        cache.get(&platform, "id-0").await.unwrap();
        // Created after the listing (or missing from a lagging listing): still found.
        platform.set(vec![code("id-0", "n-0"), code("late", "late")]);
        assert_eq!(
            cache.get(&platform, "late").await.unwrap(),
            Some(code("late", "late"))
        );
        assert_eq!(cache.get(&platform, "gone").await.unwrap(), None);
        assert_eq!(platform.gets.load(Ordering::SeqCst), 2);
        // The GET's answer is remembered.
        cache.get(&platform, "late").await.unwrap();
        assert_eq!(platform.gets.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn writes_patch_the_listing() {
        let platform = FakePlatform::with(many(3));
        let cache = ReadCache::new(true);
        cache.get(&platform, "id-0").await.unwrap();
        cache.put(code("id-1", "renamed")).await;
        assert_eq!(
            cache.get(&platform, "id-1").await.unwrap().unwrap().name,
            "renamed"
        );
        cache.remove("id-2").await;
        platform.set(vec![code("id-0", "n-0"), code("id-1", "renamed")]);
        assert_eq!(cache.get(&platform, "id-2").await.unwrap(), None);
        assert_eq!(platform.gets.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_listed_entry_that_differs_is_confirmed_with_a_get_once() {
        let platform = FakePlatform::with(vec![code("a", "old"), code("b", "same")]);
        let cache = ReadCache::new(true);
        cache.get(&platform, "b").await.unwrap();
        // The listing lags: the platform already holds the name the caller has in state.
        platform.set(vec![code("a", "new"), code("b", "same")]);
        let holds = |name: &'static str| move |c: &Code| c.name == name;
        let read = cache
            .get_checked(&platform, "a", holds("new"))
            .await
            .unwrap();
        assert_eq!(
            read,
            Some(code("a", "new")),
            "no false drift from the listing"
        );
        assert_eq!(platform.gets.load(Ordering::SeqCst), 1);
        // Confirmed now: served without another GET, even if it differs from what is held.
        cache.get_checked(&platform, "a", holds("x")).await.unwrap();
        // An entry that matches is served from the listing.
        cache
            .get_checked(&platform, "b", holds("same"))
            .await
            .unwrap();
        assert_eq!(platform.gets.load(Ordering::SeqCst), 1);
        assert_eq!(platform.lists.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn disabled_cache_reads_every_id_from_the_platform() {
        let platform = FakePlatform::with(many(5));
        let cache = ReadCache::new(false);
        for i in 0..5 {
            cache.get(&platform, &format!("id-{i}")).await.unwrap();
        }
        assert_eq!(platform.lists.load(Ordering::SeqCst), 0);
        assert_eq!(platform.gets.load(Ordering::SeqCst), 5);
        assert!(cache.snapshot(&platform).await.is_none());
    }

    #[tokio::test]
    async fn a_failed_listing_falls_back_to_gets_and_is_not_retried() {
        let platform = FakePlatform {
            fail_list: true,
            ..FakePlatform::with(many(3))
        };
        let cache = ReadCache::new(true);
        for i in 0..3 {
            assert!(
                cache
                    .get(&platform, &format!("id-{i}"))
                    .await
                    .unwrap()
                    .is_some()
            );
        }
        assert_eq!(platform.lists.load(Ordering::SeqCst), 1);
        assert_eq!(platform.gets.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn snapshot_lists_once_and_reflects_writes() {
        let platform = FakePlatform::with(many(2));
        let cache = ReadCache::new(true);
        assert_eq!(cache.snapshot(&platform).await.unwrap().len(), 2);
        cache.put(code("new", "new")).await;
        assert_eq!(cache.snapshot(&platform).await.unwrap().len(), 3);
        assert_eq!(platform.lists.load(Ordering::SeqCst), 1);
    }
}
