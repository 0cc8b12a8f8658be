//! Shared server state: the org's data plus the emulator's own bookkeeping (tokens, faults,
//! counters, rate windows, read-after-write shadows), all behind one lock.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use uuid::Uuid;

use crate::EmulatorConfig;
use crate::analytics::index::DetailsIndex;
use crate::auth::Tokens;
use crate::counter::Counter;
use crate::error::ApiError;
use crate::faults::Faults;
use crate::rate_limit::RateWindows;
use crate::store::{Store, Wrapup, WrapupCode};

/// The state every handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

struct Shared {
    config: EmulatorConfig,
    world: Mutex<World>,
}

/// Everything mutable, guarded together so each request sees one consistent snapshot.
pub struct World {
    pub store: Store,
    pub tokens: Tokens,
    pub faults: Faults,
    pub counter: Counter,
    pub rate: RateWindows,
    pub shadows: Shadows,
    /// The details query's start-time index and cached matches.
    pub details_index: DetailsIndex,
}

/// What list (and, optionally, get) reads still show while a write is "in flight" under the
/// `read_after_write_lag_ms` fault: the value before the write, until the lag has passed.
#[derive(Default)]
pub struct Shadows {
    pub codes: HashMap<Uuid, Shadow<WrapupCode>>,
    pub wrapups: HashMap<(Uuid, Uuid), Shadow<Wrapup>>,
    /// Per (conversation, participant): the wrap-up analytics still shows under
    /// `analytics_lag_ms`.
    pub analytics: HashMap<(Uuid, Uuid), Shadow<Wrapup>>,
}

/// The pre-write value of one entity and when it stops being shown.
pub struct Shadow<T> {
    pub before: Option<T>,
    pub until: Instant,
}

impl<T: Clone> Shadow<T> {
    /// The value a lagging read shows: the shadow while it lasts, else the current value.
    pub fn view<'a>(
        shadow: Option<&'a Shadow<T>>,
        current: Option<&'a T>,
        now: Instant,
    ) -> Option<&'a T> {
        match shadow {
            Some(s) if now < s.until => s.before.as_ref(),
            _ => current,
        }
    }
}

/// Records a shadow for `key` before it is written, if a lag is configured. An older live
/// shadow keeps its original pre-write value but is extended.
pub fn remember<K: std::hash::Hash + Eq, T: Clone>(
    map: &mut HashMap<K, Shadow<T>>,
    key: K,
    before: Option<&T>,
    lag_ms: u64,
) {
    if lag_ms == 0 {
        return;
    }
    let now = Instant::now();
    let until = now + std::time::Duration::from_millis(lag_ms);
    map.retain(|_, s| s.until > now);
    map.entry(key)
        .and_modify(|s| s.until = until)
        .or_insert_with(|| Shadow {
            before: before.cloned(),
            until,
        });
}

impl AppState {
    /// Builds the state, loading the state file when one is configured.
    pub fn new(config: EmulatorConfig) -> std::io::Result<AppState> {
        let store = match &config.state_file {
            Some(path) => Store::load(path)?,
            None => Store::default(),
        };
        Ok(AppState {
            inner: Arc::new(Shared {
                world: Mutex::new(World {
                    store,
                    tokens: Tokens::default(),
                    faults: Faults::default(),
                    counter: Counter::default(),
                    rate: RateWindows::default(),
                    shadows: Shadows::default(),
                    details_index: DetailsIndex::default(),
                }),
                config,
            }),
        })
    }

    /// The configuration the emulator was started with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.inner.config
    }

    /// Locks the world for reading or for changes that need no persistence.
    pub fn world(&self) -> MutexGuard<'_, World> {
        // A handler that panicked while holding the lock left data that is still structurally
        // valid (every change is a single insert/remove), so keep serving.
        self.inner
            .world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs a change to the org's data and, when it succeeds, rewrites the state file.
    pub fn mutate<T>(
        &self,
        change: impl FnOnce(&mut World) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut world = self.world();
        let out = change(&mut world)?;
        if let Some(path) = &self.inner.config.state_file
            && let Err(e) = world.store.save(path)
        {
            tracing::error!(path = %path.display(), error = %e, "could not write state file");
            return Err(ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal.server.error",
                format!("The emulator could not write its state file: {e}"),
            ));
        }
        Ok(out)
    }
}
