//! Creating a code without ever creating two or taking over another writer's, and finding
//! the code that holds a name.

use std::time::Duration;

use time::OffsetDateTime;

use super::ownership::not_ours;
use crate::platform::LagWaits;
use crate::resources::support::{
    PlatformError, WrapupCodeFields, WrapupCodeRecord, WrapupCodeStore,
};
use tfplugin_framework::CancellationToken;

/// How many times create sends the POST when its answers keep getting lost.
const CREATE_ATTEMPTS: u32 = 5;

/// Pause before the second POST; doubles before each later one.
const CREATE_RETRY_PAUSE: Duration = Duration::from_millis(250);

/// How long create looks for a code by name after a POST whose answer was lost (covers the
/// platform's read-after-write lag).
const ADOPT_WAIT: Duration = Duration::from_secs(8);

pub(super) use crate::platform::same_name;

/// The code holding this name as the platform sees it (ignoring case), if any.
pub async fn find_holder(
    api: &dyn WrapupCodeStore,
    name: &str,
) -> Result<Option<WrapupCodeRecord>, PlatformError> {
    let found = api.search_by_name(name).await?;
    let exact = found.iter().position(|code| code.name == name);
    let similar = found.iter().position(|code| same_name(&code.name, name));
    Ok(exact.or(similar).map(|index| found[index].clone()))
}

/// Looks for the holder of `name` until `wait` has passed (read-after-write lag).
async fn find_holder_within(
    api: &dyn WrapupCodeStore,
    name: &str,
    wait: Duration,
) -> Result<Option<WrapupCodeRecord>, PlatformError> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut pause = Duration::from_millis(100);
    loop {
        if let Some(code) = find_holder(api, name).await? {
            return Ok(Some(code));
        }
        if tokio::time::Instant::now() + pause > deadline {
            return Ok(None);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

/// The code holding `name` once search lag is waited out, if it is provably this create's;
/// else `error` (nothing holds it) or [`CreateFailure::NotOurs`].
async fn adopt_or(
    api: &dyn WrapupCodeStore,
    input: &WrapupCodeFields,
    proof: &Proof<'_>,
    lag_waits: LagWaits,
    error: PlatformError,
) -> Result<WrapupCodeRecord, CreateFailure> {
    match find_holder_within(api, &input.name, lag_waits.scaled(ADOPT_WAIT)).await? {
        Some(code) => proof.adopt(code),
        None => Err(error.into()),
    }
}

/// What tells this create's code from anyone else's: the writer this process authenticates
/// as and the moment the first POST was sent.
struct Proof<'a> {
    writer: Option<&'a str>,
    since: OffsetDateTime,
}

impl Proof<'_> {
    /// `code` if it is provably the one this create made, else why not.
    fn adopt(&self, code: WrapupCodeRecord) -> Result<WrapupCodeRecord, CreateFailure> {
        match not_ours(&code, self.writer, Some(self.since)) {
            None => Ok(code),
            Some(why) => {
                tracing::warn!(id = %code.id, %why, "not adopting the code holding the name");
                Err(CreateFailure::NotOurs {
                    code: Box::new(code),
                    why,
                })
            }
        }
    }
}

/// Why a safe create did not produce a code.
pub(super) enum CreateFailure {
    /// The name was already held before anything was sent.
    NameTaken(Box<WrapupCodeRecord>),
    /// A create's answer was lost and the name is held by a code that is not provably ours.
    NotOurs {
        code: Box<WrapupCodeRecord>,
        why: String,
    },
    Platform(PlatformError),
}

impl From<PlatformError> for CreateFailure {
    fn from(error: PlatformError) -> Self {
        CreateFailure::Platform(error)
    }
}

/// Creates a code without ever creating two, and without ever taking over someone else's. The
/// name must be free before the first POST. After a POST whose answer was lost, a code holding
/// the name is adopted only if it is provably the one this create made: created by `writer`
/// (this process's OAuth client) no earlier than the first POST (see [`not_ours`]); any other
/// holder stops the create with [`CreateFailure::NotOurs`]. A lost answer is followed by one
/// look-up; if the code is not visible (yet), the POST is sent again after a growing pause,
/// and a conflict on that retry means a POST did land, so the holder is looked up (waiting out
/// read-after-write lag) and checked. Once Terraform asked the provider to stop, no POST is
/// sent again: a lost answer is then settled by looking the code up, never by a second POST.
/// The stop is `cancel`: it also ends the pause before a re-send. The look-up that settles a
/// lost answer is not cut short by it (it is short, and state must hold a code that landed).
pub(super) async fn create_safely(
    api: &dyn WrapupCodeStore,
    input: &WrapupCodeFields,
    writer: Option<&str>,
    lag_waits: LagWaits,
    cancel: &CancellationToken,
) -> Result<WrapupCodeRecord, CreateFailure> {
    // Served from the process's listing when the read cache is on: one listing for all the
    // creates of an apply, not a search per code.
    if let Some(existing) = api.name_holder(&input.name).await? {
        return Err(CreateFailure::NameTaken(Box::new(existing)));
    }
    let proof = Proof {
        writer,
        since: OffsetDateTime::now_utc(),
    };
    // Settles a POST whose fate is open: the code holding the name once search lag is waited
    // out, if provably ours, else `error`.
    let adopt = |error| adopt_or(api, input, &proof, lag_waits, error);
    let mut attempt = 1;
    loop {
        match api.create(input).await {
            Ok(code) => return Ok(code),
            Err(PlatformError::Ambiguous(detail)) => {
                tracing::warn!(
                    attempt,
                    "wrap-up code create answer lost; looking it up by name"
                );
                if let Some(code) = find_holder(api, &input.name).await? {
                    return proof.adopt(code);
                }
                if cancel.is_cancelled() {
                    // Terraform is stopping: no second POST, but the first may have landed and
                    // only be hidden by search lag, so look a little longer before giving up.
                    return adopt(PlatformError::Ambiguous(detail)).await;
                }
                if attempt >= CREATE_ATTEMPTS {
                    return Err(PlatformError::Ambiguous(detail).into());
                }
                let pause = CREATE_RETRY_PAUSE * 2u32.pow(attempt - 1);
                tokio::select! {
                    () = cancel.cancelled() => {
                        return adopt(PlatformError::Ambiguous(detail)).await;
                    }
                    () = tokio::time::sleep(pause) => {}
                }
            }
            Err(PlatformError::Stopped(detail)) if attempt > 1 => {
                // The stop came during the pause before a re-send: the earlier POST's fate is
                // still open.
                return adopt(PlatformError::Ambiguous(detail)).await;
            }
            Err(PlatformError::Conflict(failure)) if attempt > 1 => {
                return adopt(PlatformError::Conflict(failure)).await;
            }
            Err(PlatformError::Conflict(failure)) => {
                // Someone took the name between our check and the POST.
                return match find_holder(api, &input.name).await? {
                    Some(code) => Err(CreateFailure::NameTaken(Box::new(code))),
                    None => Err(PlatformError::Conflict(failure).into()),
                };
            }
            Err(other) => return Err(other.into()),
        }
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::super::fake::{FakePlatform, WRITER, code, input, made_by, now};
    use super::*;

    /// Creates "Sale" as `writer`, with no stop.
    async fn create_unstopped(
        platform: &FakePlatform,
        writer: Option<&str>,
    ) -> Result<WrapupCodeRecord, CreateFailure> {
        create_safely(
            platform,
            &input("Sale"),
            writer,
            LagWaits::FULL,
            &CancellationToken::new(),
        )
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_create_answer_adopts_the_code_instead_of_duplicating_it() {
        let platform = FakePlatform::default();
        platform.lose_answers.store(1, Ordering::SeqCst);
        let created = create_unstopped(&platform, Some(WRITER))
            .await
            .ok()
            .unwrap();
        assert_eq!(created.name, "Sale");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
        assert_eq!(platform.posts.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_during_the_pause_before_a_resend_sends_no_second_post() {
        let platform = std::sync::Arc::new(FakePlatform::default());
        platform.refuse_unanswered.store(5, Ordering::SeqCst);
        let cancel = CancellationToken::new();
        let creating = tokio::spawn({
            let (platform, cancel) = (platform.clone(), cancel.clone());
            async move {
                create_safely(
                    &*platform,
                    &input("Sale"),
                    Some(WRITER),
                    LagWaits::FULL,
                    &cancel,
                )
                .await
                .is_ok()
            }
        });
        // The main task never sleeps, so the paused clock stands still until the stop.
        while platform.posts.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
        cancel.cancel();
        let created = creating.await.expect("the create finishes");
        assert!(
            !created,
            "the first POST did not land and none was sent again"
        );
        assert_eq!(platform.posts.load(Ordering::SeqCst), 1, "no second POST");
    }

    #[tokio::test(start_paused = true)]
    async fn a_create_refused_without_answer_is_sent_again() {
        let platform = FakePlatform::default();
        platform.refuse_unanswered.store(2, Ordering::SeqCst);
        let created = create_unstopped(&platform, Some(WRITER))
            .await
            .ok()
            .unwrap();
        assert_eq!(created.name, "Sale");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
        assert_eq!(platform.posts.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_answer_hidden_by_search_lag_is_adopted_after_the_retry_conflicts() {
        let platform = FakePlatform::default();
        platform.lose_answers.store(1, Ordering::SeqCst);
        // The pre-check sees an empty org, then the look-up after the lost answer lags.
        platform.hide_new_codes.store(2, Ordering::SeqCst);
        let created = create_unstopped(&platform, Some(WRITER))
            .await
            .ok()
            .unwrap();
        assert_eq!(created.id, "id-0");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
        assert_eq!(platform.posts.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_stop_a_lost_answer_is_settled_by_looking_not_by_a_second_post() {
        let platform = FakePlatform::default();
        platform.lose_answers.store(1, Ordering::SeqCst);
        // The pre-check sees an empty org, then the look-up after the lost answer lags.
        platform.hide_new_codes.store(2, Ordering::SeqCst);
        let cancel = CancellationToken::new();
        // The fake sends every POST, so stopping first stands for a stop that came while the
        // first POST was on its way (the real client would not have sent it at all).
        cancel.cancel();
        let created = create_safely(
            &platform,
            &input("Sale"),
            Some(WRITER),
            LagWaits::FULL,
            &cancel,
        )
        .await
        .ok()
        .unwrap();
        assert_eq!(created.id, "id-0");
        assert_eq!(platform.posts.load(Ordering::SeqCst), 1, "no second POST");
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_name_differing_only_in_case_counts_as_taken() {
        let platform = FakePlatform::default();
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("existing", "SALE", None));
        assert!(matches!(
            create_unstopped(&platform, Some(WRITER)).await,
            Err(CreateFailure::NameTaken(code)) if code.id == "existing"
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn a_name_taken_before_create_is_refused_with_its_id() {
        let platform = FakePlatform::default();
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("existing", "Sale", None));
        match create_unstopped(&platform, Some(WRITER)).await {
            Err(CreateFailure::NameTaken(code)) => assert_eq!(code.id, "existing"),
            _ => panic!("expected the name to be reported as taken"),
        }
        assert_eq!(platform.posts.load(Ordering::SeqCst), 0);
    }

    /// Our POST is refused unanswered (it may or may not have landed) and meanwhile another
    /// writer creates the name: its code is not adopted, and no second POST is sent.
    #[tokio::test(start_paused = true)]
    async fn a_code_another_writer_made_during_a_lost_answer_is_not_adopted() {
        let platform = FakePlatform::default();
        platform.refuse_unanswered.store(1, Ordering::SeqCst);
        *platform.outsider_at_first_post.lock().unwrap() =
            Some(made_by("theirs", "Sale", "an-admin-user", &now()));
        match create_unstopped(&platform, Some(WRITER)).await {
            Err(CreateFailure::NotOurs { code, why }) => {
                assert_eq!(code.id, "theirs");
                assert!(why.contains("created by an-admin-user"), "{why}");
            }
            _ => panic!("another writer's code must not be adopted"),
        }
        assert_eq!(platform.posts.load(Ordering::SeqCst), 1);
        assert_eq!(platform.codes.lock().unwrap().len(), 1);
    }

    /// A code of the same OAuth client from before the first POST (hidden from the name check
    /// by search lag) is not this create's.
    #[tokio::test(start_paused = true)]
    async fn an_older_code_of_the_same_client_is_not_adopted() {
        let platform = FakePlatform::default();
        platform.codes.lock().unwrap().push(made_by(
            "older",
            "Sale",
            WRITER,
            "2026-01-01T00:00:00.000Z",
        ));
        // The pre-check misses it; the POST is refused unanswered and the look-up finds it.
        platform.hide_new_codes.store(1, Ordering::SeqCst);
        platform.refuse_unanswered.store(1, Ordering::SeqCst);
        match create_unstopped(&platform, Some(WRITER)).await {
            Err(CreateFailure::NotOurs { code, why }) => {
                assert_eq!(code.id, "older");
                assert!(why.contains("before this create"), "{why}");
            }
            _ => panic!("an older code must not be adopted"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn with_an_access_token_a_lost_answer_is_never_settled_by_adoption() {
        let platform = FakePlatform::default();
        platform.lose_answers.store(1, Ordering::SeqCst);
        assert!(matches!(
            create_unstopped(&platform, None).await,
            Err(CreateFailure::NotOurs { .. })
        ));
        assert_eq!(platform.posts.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_similar_name_does_not_block_create() {
        let platform = FakePlatform::default();
        platform
            .codes
            .lock()
            .unwrap()
            .push(code("other", "Sale completed", None));
        assert!(create_unstopped(&platform, Some(WRITER)).await.is_ok());
    }
}
