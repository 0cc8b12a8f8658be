//! The client's access tokens and each token's request budget.
//!
//! The platform meters requests per client-credentials token (300 a minute by default,
//! `client.credentials.token.rate.per.minute`) and no longer says in its answers how much of
//! the budget is left (the `inin-ratelimit-*` headers were removed in 2021). So the client
//! keeps its own budget per token: at most `requests_per_minute` requests in any
//! [`WINDOW`] (a minute plus a margin for the time a request takes to arrive), which keeps
//! it under the platform's limit however the platform aligns its window. A job that fits in
//! the budget meets no 429 at all; a bigger one waits instead of failing.
//!
//! The pool starts with one token and logs in for another only when every token's budget is
//! spent and a request is waiting, up to `max_tokens`: a job within one token's budget logs
//! in once, a bulk job multiplies its throughput with the pool.
//!
//! The budget moves as TCP's congestion window does (additive increase, multiplicative
//! decrease). A 429 means the budget was too generous (the org's limit is lower, or another
//! integration shares the token): it cuts the budget of every token of the process by a
//! tenth, but at most once per rate-limit pause, since every request already under way when
//! the first 429 arrived meets the same window. Each [`RECOVERY_SPAN`] without a 429 after
//! that pause ends raises it again by a tenth of its ceiling (the configured budget, or the
//! org's own limit), up to that ceiling: a burst of 429s costs a few minutes at most, not the
//! rest of the run.
//!
//! Unless the budget was configured, it starts at the platform's default and is replaced by
//! the org's own limit the first time a token has spent nine tenths of its budget (see
//! [`org_limit`](super::org_limit)): a job that stays below that never pays for the read.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use tracing::debug;
use url::Url;

use super::auth::Authenticator;
use super::config::Credentials;
use super::error::LoginError;
use super::retry::RetryPolicy;
use super::waits::{self, Cancelled};
use tokio_util::sync::CancellationToken;

/// The span a token's budget is counted over: the platform's minute plus a margin for the
/// time between sending a request and the platform counting it.
pub(crate) const WINDOW: Duration = Duration::from_secs(61);

/// The platform's default per-token limit, used when nothing else is configured.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 300;

/// How long the budget must go without a 429 (after the last pause ended) before it grows by
/// a tenth of its ceiling again.
pub(crate) const RECOVERY_SPAN: Duration = Duration::from_secs(10);

/// How many tokens a pool may hold by default (the official provider's `token_pool_size`).
pub const DEFAULT_MAX_TOKENS: usize = 10;

/// Whether the budget still waits for the org's own limit.
const ORG_LIMIT_NOT_WANTED: u8 = 0;
const ORG_LIMIT_UNREAD: u8 = 1;
const ORG_LIMIT_SETTLED: u8 = 2;

/// One token and the send times of its requests within the window.
struct Slot {
    auth: Arc<Authenticator>,
    sent: VecDeque<Instant>,
}

impl Slot {
    fn prune(&mut self, now: Instant) {
        while self
            .sent
            .front()
            .is_some_and(|sent| now.saturating_duration_since(*sent) >= WINDOW)
        {
            self.sent.pop_front();
        }
    }
}

/// Where the budget stands between its cuts and recoveries.
#[derive(Debug)]
struct BudgetCourse {
    /// What the budget recovers to: the configured budget or the org's own limit.
    ceiling: u32,
    /// When the pause of the last cut ends: a 429 for a request sent before then belongs to
    /// that pause and cuts nothing more.
    pause_ends: Option<Instant>,
    /// Since when the budget has gone without a cut (or last grew): each [`RECOVERY_SPAN`]
    /// from here raises it.
    clean_since: Instant,
}

/// The tokens one request may use: the token's authenticator, for this request and its 401
/// renewal.
pub(crate) struct Lease {
    pub(crate) auth: Arc<Authenticator>,
}

/// The process's tokens, each with its budget. Cheap to share behind the client's `Arc`.
pub(crate) struct TokenPool {
    credentials: Credentials,
    login_base: Url,
    retry: RetryPolicy,
    max_tokens: usize,
    per_minute: AtomicU32,
    /// [`ORG_LIMIT_UNREAD`] until the org's limit was read (or its read failed);
    /// [`ORG_LIMIT_NOT_WANTED`] when the budget was configured.
    org_limit: AtomicU8,
    /// Whether a 429 tightened the budget: the org's limit then does not widen it at once
    /// (only recovery does, over time).
    tightened: AtomicBool,
    course: Mutex<BudgetCourse>,
    slots: Mutex<Vec<Slot>>,
}

impl std::fmt::Debug for TokenPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPool")
            .field("max_tokens", &self.max_tokens)
            .field("per_minute", &self.per_minute.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl TokenPool {
    /// A pool of up to `max_tokens` tokens (one for a supplied access token, which cannot be
    /// multiplied), each allowed `per_minute` requests a minute; with `read_org_limit` that
    /// budget is replaced by the org's own limit once a job comes near it.
    pub(crate) fn new(
        credentials: Credentials,
        login_base: &Url,
        retry: RetryPolicy,
        max_tokens: usize,
        per_minute: u32,
        read_org_limit: bool,
    ) -> Self {
        let max_tokens = match credentials {
            Credentials::AccessToken(_) => 1,
            Credentials::ClientCredentials { .. } => max_tokens.max(1),
        };
        TokenPool {
            credentials,
            login_base: login_base.clone(),
            retry,
            max_tokens,
            per_minute: AtomicU32::new(per_minute.max(1)),
            org_limit: AtomicU8::new(if read_org_limit {
                ORG_LIMIT_UNREAD
            } else {
                ORG_LIMIT_NOT_WANTED
            }),
            tightened: AtomicBool::new(false),
            course: Mutex::new(BudgetCourse {
                ceiling: per_minute.max(1),
                pause_ends: None,
                clean_since: Instant::now(),
            }),
            slots: Mutex::new(Vec::new()),
        }
    }

    /// Whether the org's limit should be read now: it was not read yet, the budget was not
    /// configured, and some token has spent nine tenths of its budget in the window (so the
    /// job may exceed the default; the read itself still fits in the budget).
    pub(crate) fn org_limit_due(&self) -> bool {
        if self.org_limit.load(Ordering::Acquire) != ORG_LIMIT_UNREAD {
            return false;
        }
        let now = Instant::now();
        let threshold = org_limit_threshold(self.recover(now));
        self.lock().iter_mut().any(|slot| {
            slot.prune(now);
            slot.sent.len() >= threshold
        })
    }

    /// Takes the org's limit as the budget per token and its ceiling (`None`: it could not
    /// be read, so the budget stays). After a 429 the budget does not grow at once: it
    /// recovers towards the new ceiling over time.
    pub(crate) fn adopt_org_limit(&self, limit: Option<u32>) {
        self.org_limit.store(ORG_LIMIT_SETTLED, Ordering::Release);
        let Some(limit) = limit.map(|limit| limit.max(1)) else {
            return;
        };
        self.lock_course().ceiling = limit;
        let _ = self
            .per_minute
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |current| {
                Some(if self.tightened.load(Ordering::Relaxed) {
                    current.min(limit)
                } else {
                    limit
                })
            });
        debug!(
            per_minute = self.per_minute(),
            org_limit = limit,
            "genesys token pool: budget per token from the org's own limit"
        );
    }

    /// Whether a 401 can be cured by fetching a new token.
    pub(crate) fn can_renew(&self) -> bool {
        matches!(self.credentials, Credentials::ClientCredentials { .. })
    }

    /// The current budget per token and minute.
    pub(crate) fn per_minute(&self) -> u32 {
        self.per_minute.load(Ordering::Relaxed)
    }

    /// How many tokens the pool holds now.
    pub(crate) fn size(&self) -> usize {
        self.lock().len()
    }

    /// Takes one request's share of a token's budget, waiting while every token's budget is
    /// spent and the pool may not grow; the wait ends at once when `cancel` fires.
    pub(crate) async fn acquire(&self, cancel: &CancellationToken) -> Result<Lease, Cancelled> {
        loop {
            let wait = match self.try_acquire(Instant::now()) {
                Ok(lease) => return Ok(lease),
                Err(wait) => wait,
            };
            // Waiters wake spread out, not all at the instant the first budget frees up.
            let jitter = (wait / 10)
                .min(Duration::from_millis(250))
                .mul_f64(fastrand::f64());
            waits::pause(wait + jitter, cancel).await?;
        }
    }

    /// A lease now, or how long until a budget frees up.
    fn try_acquire(&self, now: Instant) -> Result<Lease, Duration> {
        let limit = self.recover(now) as usize;
        let mut slots = self.lock();
        for slot in slots.iter_mut() {
            slot.prune(now);
            if slot.sent.len() < limit {
                slot.sent.push_back(now);
                return Ok(Lease {
                    auth: slot.auth.clone(),
                });
            }
        }
        if slots.len() < self.max_tokens {
            let auth = Arc::new(Authenticator::new(
                self.credentials.clone(),
                &self.login_base,
                self.retry.clone(),
            ));
            slots.push(Slot {
                auth: auth.clone(),
                sent: VecDeque::from([now]),
            });
            debug!(
                pool_size = slots.len(),
                max_tokens = self.max_tokens,
                per_minute = limit,
                "genesys token pool: every budget is spent; taking another token"
            );
            return Ok(Lease { auth });
        }
        let next_free = slots
            .iter()
            .filter_map(|slot| slot.sent.front())
            .min()
            .map_or(Duration::ZERO, |oldest| {
                (*oldest + WINDOW).saturating_duration_since(now)
            });
        Err(next_free.max(Duration::from_millis(1)))
    }

    /// Logs the first token in now, so a refusal shows before any request is made; the token
    /// then serves the first requests (one login per process). Spends no budget. With a
    /// supplied access token there is nothing to log in. Its retries end when `cancel` fires.
    pub(crate) async fn login(
        &self,
        http: &reqwest::Client,
        cancel: &CancellationToken,
    ) -> Result<(), LoginError> {
        let auth = {
            let mut slots = self.lock();
            if slots.is_empty() {
                slots.push(Slot {
                    auth: Arc::new(Authenticator::new(
                        self.credentials.clone(),
                        &self.login_base,
                        self.retry.clone(),
                    )),
                    sent: VecDeque::new(),
                });
            }
            slots[0].auth.clone()
        };
        auth.token(http, cancel).await.map(drop)
    }

    /// A 429 arrived for a request sent at `sent` although the budget allowed it: the
    /// platform's limit is lower than the budget. Unless the request was sent before the
    /// pause of the last cut ended (it met the same window), every token's budget shrinks by
    /// a tenth (at least one request), and recovery counts again from the end of this pause,
    /// `pause` from now. Returns whether the budget was cut.
    pub(crate) fn tighten(&self, sent: Instant, pause: Duration) -> bool {
        let now = Instant::now();
        let pause_ends = now.checked_add(pause).unwrap_or(now);
        let mut course = self.lock_course();
        if course.pause_ends.is_some_and(|ends| sent < ends) {
            course.pause_ends = course.pause_ends.max(Some(pause_ends));
            course.clean_since = course.clean_since.max(pause_ends);
            return false;
        }
        self.tightened.store(true, Ordering::Relaxed);
        let _ = self
            .per_minute
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |limit| {
                Some(limit.saturating_sub((limit / 10).max(1)).max(1))
            });
        course.pause_ends = Some(pause_ends);
        course.clean_since = pause_ends;
        debug!(
            per_minute = self.per_minute(),
            ceiling = course.ceiling,
            "genesys api answered 429; tightening the per-token budget"
        );
        true
    }

    /// The budget at `now`, first raised by a tenth of its ceiling for each whole
    /// [`RECOVERY_SPAN`] that passed without a cut.
    fn recover(&self, now: Instant) -> u32 {
        let current = self.per_minute();
        let mut course = self.lock_course();
        if current >= course.ceiling {
            return current;
        }
        let clean = now.saturating_duration_since(course.clean_since);
        let spans = (clean.as_nanos() / RECOVERY_SPAN.as_nanos()).min(u128::from(u32::MAX)) as u32;
        if spans == 0 {
            return current;
        }
        let step = (course.ceiling / 10).max(1);
        let raised = current
            .saturating_add(step.saturating_mul(spans))
            .min(course.ceiling);
        self.per_minute.store(raised, Ordering::Relaxed);
        course.clean_since = RECOVERY_SPAN
            .checked_mul(spans)
            .and_then(|spent| course.clean_since.checked_add(spent))
            .unwrap_or(now);
        debug!(
            per_minute = raised,
            ceiling = course.ceiling,
            "genesys token pool: no 429 for a while; raising the per-token budget"
        );
        raised
    }

    fn lock_course(&self) -> std::sync::MutexGuard<'_, BudgetCourse> {
        // Plain data; a panic elsewhere cannot leave it inconsistent.
        self.course
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        // Slots hold plain data; a panic elsewhere cannot leave them inconsistent.
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// How many requests of a token's window make the org's limit worth reading: nine tenths of
/// the budget, so that the requests already under way and the read itself still fit in it.
fn org_limit_threshold(per_minute: u32) -> usize {
    per_minute.saturating_sub((per_minute / 10).max(1)).max(1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(max_tokens: usize, per_minute: u32) -> TokenPool {
        TokenPool::new(
            Credentials::client_credentials("id", "secret"),
            &Url::parse("http://127.0.0.1:9").expect("valid"),
            RetryPolicy::none(),
            max_tokens,
            per_minute,
            false,
        )
    }

    fn pool_reading_the_org_limit(per_minute: u32) -> TokenPool {
        TokenPool::new(
            Credentials::client_credentials("id", "secret"),
            &Url::parse("http://127.0.0.1:9").expect("valid"),
            RetryPolicy::none(),
            10,
            per_minute,
            true,
        )
    }

    #[test]
    fn the_org_limit_is_due_only_near_the_default_budget_and_only_once() {
        let pool = pool_reading_the_org_limit(300);
        let now = Instant::now();
        for _ in 0..269 {
            assert!(pool.try_acquire(now).is_ok());
        }
        assert!(!pool.org_limit_due(), "269 of 300 is below nine tenths");
        assert!(pool.try_acquire(now).is_ok());
        assert!(
            pool.org_limit_due(),
            "270 of 300 may be a job beyond the budget"
        );
        pool.adopt_org_limit(Some(1000));
        assert_eq!(pool.per_minute(), 1000);
        assert!(!pool.org_limit_due(), "read once per pool");
        for _ in 0..730 {
            assert!(pool.try_acquire(now).is_ok());
        }
        assert_eq!(
            pool.size(),
            1,
            "the org's higher limit serves the job on one token"
        );
        assert!(pool.try_acquire(now).is_ok());
        assert_eq!(pool.size(), 2);
    }

    #[test]
    fn a_configured_budget_never_reads_the_org_limit() {
        let pool = pool(10, 300);
        let now = Instant::now();
        for _ in 0..300 {
            assert!(pool.try_acquire(now).is_ok());
        }
        assert!(!pool.org_limit_due());
    }

    #[test]
    fn an_unreadable_org_limit_keeps_the_budget_and_is_not_asked_again() {
        let pool = pool_reading_the_org_limit(300);
        let now = Instant::now();
        for _ in 0..280 {
            assert!(pool.try_acquire(now).is_ok());
        }
        assert!(pool.org_limit_due());
        pool.adopt_org_limit(None);
        assert_eq!(pool.per_minute(), 300);
        assert!(!pool.org_limit_due());
    }

    const PAUSE: Duration = Duration::from_secs(1);

    #[test]
    fn after_a_429_the_org_limit_does_not_widen_the_budget_at_once() {
        let pool = pool_reading_the_org_limit(300);
        pool.tighten(Instant::now(), PAUSE);
        pool.adopt_org_limit(Some(1000));
        assert_eq!(
            pool.per_minute(),
            270,
            "a 429 is newer evidence than the org's setting"
        );
        let other = pool_reading_the_org_limit(300);
        other.tighten(Instant::now(), PAUSE);
        other.adopt_org_limit(Some(100));
        assert_eq!(other.per_minute(), 100);
    }

    #[tokio::test(start_paused = true)]
    async fn every_429_of_one_pause_cuts_the_budget_once() {
        let pool = pool(1, 600);
        let sent = Instant::now();
        // Ten requests under way meet the same rate-limit window.
        let cuts = (0..10).filter(|_| pool.tighten(sent, PAUSE)).count();
        assert_eq!(cuts, 1);
        assert_eq!(pool.per_minute(), 540);
        // A request sent during the pause (it was past the gate already) meets it too.
        tokio::time::advance(PAUSE / 2).await;
        assert!(!pool.tighten(Instant::now(), PAUSE));
        assert_eq!(pool.per_minute(), 540);
        // One sent after the pause ended meets a new window: the budget is still too high.
        tokio::time::advance(PAUSE * 2).await;
        assert!(pool.tighten(Instant::now(), PAUSE));
        assert_eq!(pool.per_minute(), 486);
    }

    #[tokio::test(start_paused = true)]
    async fn clean_spans_after_the_pause_raise_the_budget_by_a_tenth_of_its_ceiling() {
        let pool = pool(1, 600);
        // A storm: every pause meets a 429 again right after it ends.
        for _ in 0..20 {
            assert!(pool.tighten(Instant::now(), PAUSE));
            tokio::time::advance(PAUSE).await;
        }
        let low = pool.per_minute();
        assert!(low < 100, "{low}");
        // The storm's last pause ended just now; less than a clean span raises nothing.
        tokio::time::advance(RECOVERY_SPAN - Duration::from_millis(1)).await;
        assert!(pool.try_acquire(Instant::now()).is_ok());
        assert_eq!(pool.per_minute(), low);
        tokio::time::advance(Duration::from_millis(1)).await;
        assert!(pool.try_acquire(Instant::now()).is_ok());
        assert_eq!(pool.per_minute(), low + 60, "a tenth of the ceiling");
        // Additive: each clean span adds the same, up to the configured budget and no more.
        tokio::time::advance(RECOVERY_SPAN * 3).await;
        assert!(pool.try_acquire(Instant::now()).is_ok());
        assert_eq!(pool.per_minute(), low + 4 * 60);
        tokio::time::advance(RECOVERY_SPAN * 10).await;
        assert!(pool.try_acquire(Instant::now()).is_ok());
        assert_eq!(pool.per_minute(), 600);
    }

    #[tokio::test(start_paused = true)]
    async fn the_budget_recovers_to_the_orgs_own_limit() {
        let pool = pool_reading_the_org_limit(300);
        pool.tighten(Instant::now(), PAUSE);
        pool.adopt_org_limit(Some(1000));
        assert_eq!(pool.per_minute(), 270);
        tokio::time::advance(PAUSE + RECOVERY_SPAN * 2).await;
        assert!(pool.try_acquire(Instant::now()).is_ok());
        assert_eq!(pool.per_minute(), 470, "two tenths of the org's 1000");
        tokio::time::advance(RECOVERY_SPAN * 20).await;
        assert!(pool.try_acquire(Instant::now()).is_ok());
        assert_eq!(pool.per_minute(), 1000);
    }

    #[test]
    fn the_threshold_leaves_room_for_the_read() {
        assert_eq!(org_limit_threshold(300), 270);
        assert_eq!(org_limit_threshold(5), 4);
        assert_eq!(org_limit_threshold(1), 1);
    }

    #[test]
    fn one_token_serves_a_job_within_its_budget() {
        let pool = pool(10, 5);
        let now = Instant::now();
        for _ in 0..5 {
            assert!(pool.try_acquire(now).is_ok());
        }
        assert_eq!(pool.size(), 1, "no second token while the first has budget");
    }

    #[test]
    fn the_pool_grows_only_when_every_budget_is_spent_up_to_its_size() {
        let pool = pool(2, 3);
        let now = Instant::now();
        for _ in 0..6 {
            assert!(pool.try_acquire(now).is_ok());
        }
        assert_eq!(pool.size(), 2);
        let wait = pool.try_acquire(now).err().expect("both budgets spent");
        assert!(wait > Duration::from_secs(60) && wait <= WINDOW, "{wait:?}");
        // Once the window has passed, the first token's budget is back.
        assert!(pool.try_acquire(now + WINDOW).is_ok());
        assert_eq!(pool.size(), 2);
    }

    #[test]
    fn a_supplied_access_token_is_a_pool_of_one() {
        let pool = TokenPool::new(
            Credentials::access_token("tok"),
            &Url::parse("http://127.0.0.1:9").expect("valid"),
            RetryPolicy::none(),
            10,
            1,
            false,
        );
        let now = Instant::now();
        assert!(pool.try_acquire(now).is_ok());
        assert!(pool.try_acquire(now).is_err(), "no second token to take");
        assert!(!pool.can_renew());
    }

    #[test]
    fn a_429_tightens_every_budget_by_a_tenth_but_never_to_zero() {
        let pool = pool(3, 300);
        pool.tighten(Instant::now(), Duration::ZERO);
        assert_eq!(pool.per_minute(), 270);
        let small = super::tests::pool(1, 2);
        small.tighten(Instant::now(), Duration::ZERO);
        small.tighten(Instant::now(), Duration::ZERO);
        assert_eq!(small.per_minute(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_returns_at_once_while_a_budget_is_left() {
        let pool = pool(1, 2);
        let cancel = CancellationToken::new();
        let started = Instant::now();
        assert!(pool.acquire(&cancel).await.is_ok());
        assert!(pool.acquire(&cancel).await.is_ok());
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(pool.try_acquire(Instant::now()).is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_token_ends_the_wait_for_the_budget_at_once() {
        let pool = std::sync::Arc::new(pool(1, 1));
        let cancel = CancellationToken::new();
        assert!(
            pool.acquire(&cancel).await.is_ok(),
            "the budget's one request"
        );
        let started = Instant::now();
        let waiting = tokio::spawn({
            let (pool, cancel) = (std::sync::Arc::clone(&pool), cancel.clone());
            async move { pool.acquire(&cancel).await.map(|_| ()) }
        });
        tokio::task::yield_now().await;
        cancel.cancel();
        assert_eq!(waiting.await.expect("the waiter finishes"), Err(Cancelled));
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "not a minute for the budget"
        );
        let uncancelled = CancellationToken::new();
        assert!(pool.acquire(&uncancelled).await.is_ok());
        assert!(
            started.elapsed() >= WINDOW,
            "without a stop it waits out the budget"
        );
    }
}
