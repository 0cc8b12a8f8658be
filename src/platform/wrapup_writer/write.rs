//! Posting a wrap-up and proving it persisted: the platform answers a wrap-up POST with
//! success even when it keeps nothing (a label sent where the ID belongs), so every write is
//! read back and compared, field by field, before it counts as applied (see [`super::proof`]).
//! Each step goes out as a [`WrapupEvent`] to the caller's [`WrapupProgress`], if any.

use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use tokio_util::sync::CancellationToken;

use super::error::{SentWrapup, WrapupError};
use super::events::{WrapupEvent, WrapupProgress, report};
use super::proof::{Before, Evidence, before_in, differences, evidence, needs_end_time};
use super::request::DesiredWrapup;
use super::resolve::{ResolvedCode, Target, check_awaiting_wrapup, resolve_code, resolve_target};
use crate::platform::{ConversationApi, PlatformError};
use genesys_client::models::WrapupBody;

/// How many times one wrap-up is posted when answers are lost and reading back shows it did
/// not land (the first post and two more).
const MAX_POSTS: usize = 3;

/// Waits before each read-back: the first is immediate, the rest cover the platform's
/// read-after-write lag (about 3 s in all) before a missing wrap-up counts as not persisted.
pub const VERIFY_DELAYS: [Duration; 6] = crate::platform::READ_AFTER_WRITE_DELAYS;

/// A wrap-up the platform holds, as read back after the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub target: Target,
    pub code: ResolvedCode,
    /// When the read-back confirmed it (RFC 3339, UTC).
    pub applied_at: String,
    /// Set when the read-back holds what was sent but cannot prove this write put it there
    /// (the participant held the same values before, and the platform shows no `endTime`):
    /// why, for the caller to warn instead of claiming the write verified.
    pub unproven: Option<String>,
}

/// What plan resolved for a wrap-up, so that apply can post it without resolving again: the
/// communication, the code's ID, and the participant's wrap-up before the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub target: Target,
    pub code: ResolvedCode,
    pub before: Before,
}

/// The wrap-up write for `target`, as `METHOD path` with the IDs filled in (for messages).
pub fn endpoint_for(target: &Target) -> String {
    format!(
        "POST /api/v2/conversations/{}/{}/participants/{}/communications/{}/wrapup",
        target.media, target.conversation_id, target.participant_id, target.communication_id
    )
}

fn read_back_route(target: &Target) -> String {
    format!(
        "GET /api/v2/conversations/{}/participants/{}/wrapup",
        target.conversation_id, target.participant_id
    )
}

/// Finds what `spec` designates: the communication (which must have ended), the code's ID,
/// and the participant's wrap-up as the conversation shows it now.
pub async fn resolve_wrapup(
    api: &dyn ConversationApi,
    spec: &DesiredWrapup,
) -> Result<Resolution, WrapupError> {
    let (target, conversation) = resolve_target(api, &spec.target).await?;
    check_awaiting_wrapup(&target)?;
    let code = resolve_code(api, &target, &spec.code).await?;
    let before = before_in(&conversation, &target.participant_id);
    Ok(Resolution {
        target,
        code,
        before,
    })
}

/// Resolves `spec`, then posts and proves it as [`apply_resolved`] does. Reports each step
/// to `progress`.
pub async fn apply_wrapup(
    api: &dyn ConversationApi,
    spec: &DesiredWrapup,
    verify_delays: &[Duration],
    progress: Option<&dyn WrapupProgress>,
    cancel: &CancellationToken,
) -> Result<Applied, WrapupError> {
    report(
        progress,
        WrapupEvent::Resolving {
            conversation_id: spec.target.conversation_id.clone(),
        },
    )
    .await;
    let resolution = resolve_wrapup(api, spec).await?;
    let Resolution { target, code, .. } = &resolution;
    report(
        progress,
        WrapupEvent::Resolved {
            participant_id: target.participant_id.clone(),
            media: target.media,
            communication_id: target.communication_id.clone(),
            code_id: code.id.clone(),
            code_name: code.name.clone(),
        },
    )
    .await;
    apply_resolved(api, spec, resolution, verify_delays, progress, cancel).await
}

/// Posts the wrap-up `resolution` designates with the code's ID, then reads the participant's
/// wrap-up back (waiting `verify_delays` between reads) until it holds every field sent and,
/// when it held those values already, until its `endTime` shows this write landed. A stop
/// (`cancel`) ends the delays, so the remaining reads go out at once, and posts nothing again.
pub async fn apply_resolved(
    api: &dyn ConversationApi,
    spec: &DesiredWrapup,
    resolution: Resolution,
    verify_delays: &[Duration],
    progress: Option<&dyn WrapupProgress>,
    cancel: &CancellationToken,
) -> Result<Applied, WrapupError> {
    let Resolution {
        target,
        code,
        mut before,
    } = resolution;
    let input = WrapupBody {
        code: code.id.clone(),
        notes: spec.notes.clone(),
        tags: spec.tags.clone(),
        duration_seconds: spec.duration_seconds,
        ..WrapupBody::default()
    };
    let sent = SentWrapup {
        code_id: code.id.clone(),
        code_name: code.name.clone(),
        endpoint: endpoint_for(&target),
    };
    let read_back = read_back_route(&target);
    if needs_end_time(&before, &input) {
        // The participant holds what is about to be sent: only its endTime can show the write.
        before = api
            .participant_wrapup(&target.conversation_id, &target.participant_id)
            .await
            .map_err(|error| {
                WrapupError::platform(
                    format!("read the wrap-up before writing ({read_back})"),
                    error,
                )
            })?;
    }
    let mut posts = 0;
    loop {
        posts += 1;
        report(
            progress,
            WrapupEvent::Posting {
                endpoint: sent.endpoint.clone(),
            },
        )
        .await;
        let lost_answer = post(api, spec, &target, &input, &sent).await?;
        report(
            progress,
            WrapupEvent::Verifying {
                read_back: read_back.clone(),
            },
        )
        .await;
        let verified = verify(api, &target, &code, &before, &input, verify_delays, cancel).await;
        let found = match verified {
            Err(error) => {
                // The write may have landed: the caller keeps it, and the next read checks.
                return Err(WrapupError::Unverified {
                    written: Box::new(Applied {
                        target,
                        code,
                        applied_at: now_rfc3339(),
                        unproven: None,
                    }),
                    post_answered: lost_answer.is_none(),
                    action: format!("read the wrap-up back ({read_back})"),
                    error: Box::new(error),
                });
            }
            Ok(Ok(unproven)) => {
                let participant_id = target.participant_id.clone();
                let code_id = code.id.clone();
                let event = match &unproven {
                    None => WrapupEvent::Verified {
                        participant_id,
                        code_id,
                    },
                    Some(_) => WrapupEvent::HeldBefore {
                        participant_id,
                        code_id,
                    },
                };
                report(progress, event).await;
                return Ok(Applied {
                    target,
                    code,
                    applied_at: now_rfc3339(),
                    unproven,
                });
            }
            Ok(Err(found)) => found,
        };
        match lost_answer {
            // The answer was lost and the read-back proves the write did not land: sending it
            // again cannot apply it twice (a wrap-up write replaces the participant's wrap-up),
            // so it is posted again, unless Terraform asked the provider to stop.
            Some(detail) if posts < MAX_POSTS && !cancel.is_cancelled() => {
                report(progress, WrapupEvent::PostingAgain { detail }).await;
            }
            Some(detail) => {
                return Err(WrapupError::platform(
                    format!("post the wrap-up ({})", sent.endpoint),
                    PlatformError::Ambiguous(format!(
                        "{detail}; reading it back shows it was not applied: {found}"
                    )),
                ));
            }
            None => {
                return Err(WrapupError::NotPersisted {
                    choice: spec.code.configured,
                    sent,
                    found,
                    read_back,
                });
            }
        }
    }
}

/// The current time, RFC 3339 in UTC.
fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .expect("the current UTC time always formats as RFC 3339")
}

/// Posts the wrap-up once. `Ok(Some(detail))` is a write whose answer was lost (it may or may
/// not have landed); every other failure is final.
async fn post(
    api: &dyn ConversationApi,
    spec: &DesiredWrapup,
    target: &Target,
    input: &WrapupBody,
    sent: &SentWrapup,
) -> Result<Option<String>, WrapupError> {
    match api
        .post_wrapup(
            target.media,
            &target.conversation_id,
            &target.participant_id,
            &target.communication_id,
            input,
        )
        .await
    {
        Ok(()) => Ok(None),
        Err(PlatformError::Ambiguous(detail)) => Ok(Some(detail)),
        Err(PlatformError::Invalid(failure)) => Err(WrapupError::Rejected {
            choice: spec.code.configured,
            sent: sent.clone(),
            failure: failure.to_string(),
        }),
        Err(PlatformError::NotFound(failure)) => Err(WrapupError::WriteNotFound {
            media: target.media,
            communication_id: target.communication_id.clone(),
            sent: sent.clone(),
            failure: failure.to_string(),
        }),
        Err(error) => Err(WrapupError::platform(
            format!("post the wrap-up ({})", sent.endpoint),
            error,
        )),
    }
}

/// Reads the participant's wrap-up back (waiting `verify_delays` between reads) until it holds
/// every field of `input` and, where it held those values `before`, shows this write landed.
/// `Ok(Ok(unproven))` is a kept write (with the warning to give when it cannot be proven);
/// `Ok(Err(found))` says what the platform holds instead; `Err` is a read that failed.
async fn verify(
    api: &dyn ConversationApi,
    target: &Target,
    code: &ResolvedCode,
    before: &Before,
    input: &WrapupBody,
    verify_delays: &[Duration],
    cancel: &CancellationToken,
) -> Result<Result<Option<String>, String>, PlatformError> {
    let read_back = read_back_route(target);
    let mut found = String::new();
    for delay in verify_delays {
        if !delay.is_zero() {
            tokio::select! {
                () = cancel.cancelled() => {}
                () = tokio::time::sleep(api.lag_waits().scaled(*delay)) => {}
            }
        }
        let current = api
            .participant_wrapup(&target.conversation_id, &target.participant_id)
            .await?;
        let differs = differences(current.as_ref(), input);
        let Some(current) = current.filter(|_| differs.is_empty()) else {
            found = differs.join("; ");
            continue;
        };
        return Ok(Ok(match evidence(before, &current, input) {
            Evidence::Changed | Evidence::EndTimeMoved => None,
            Evidence::Unprovable => Some(format!(
                "Participant {} already held wrap-up code {} with the same notes, tags and \
                 duration before this write, and the platform shows no wrap-up endTime to \
                 compare, so reading it back with {read_back} cannot tell whether the platform \
                 kept this write or still holds the earlier wrap-up. Check the conversation in \
                 Genesys Cloud if it matters.",
                target.participant_id, code.id
            )),
            Evidence::EndTimeUnchanged(was) => {
                found = format!(
                    "the values sent, which it held before the write too, with its endTime \
                     still {was} (a write the platform keeps moves the wrap-up's endTime)"
                );
                continue;
            }
        }));
    }
    Ok(Err(found))
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;

    use super::*;
    use crate::platform::wrapup_writer::fake::*;
    use crate::platform::wrapup_writer::{InputName, TargetChoice};
    use genesys_client::MediaType;
    use genesys_client::models::AssignedWrapupCode;

    fn by_name(name: &str) -> DesiredWrapup {
        desired(None, Some(name))
    }

    const NO_WAIT: [Duration; 2] = [Duration::ZERO, Duration::ZERO];

    /// Applies `spec` without verify delays and without a stop.
    async fn apply_now(
        platform: &FakePlatform,
        spec: &DesiredWrapup,
    ) -> Result<Applied, WrapupError> {
        apply_wrapup(platform, spec, &NO_WAIT, None, &CancellationToken::new()).await
    }

    /// Every event it is given, in order.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<WrapupEvent>>);

    #[async_trait]
    impl WrapupProgress for Recorder {
        async fn report(&self, event: WrapupEvent) {
            self.0.lock().expect("not poisoned").push(event);
        }
    }

    #[tokio::test]
    async fn a_code_name_is_posted_as_its_id_to_the_media_endpoint_and_read_back() {
        let platform = FakePlatform::ended();
        let applied = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect("applied");
        assert_eq!(applied.code.id, SALE);
        assert_eq!(applied.target.participant_id, AGENT);
        assert_eq!(applied.target.communication_id, AGENT_CALL);
        assert_eq!(applied.target.media, MediaType::Calls);
        let posts = platform.posts.lock().expect("not poisoned");
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].0, MediaType::Calls);
        assert_eq!(posts[0].2.code, SALE);
        assert_eq!(posts[0].2.notes.as_deref(), Some("back-filled"));
    }

    #[tokio::test]
    async fn each_step_is_reported_as_an_event_in_order() {
        let platform = FakePlatform::ended();
        *platform.lost_answers.lock().expect("not poisoned") = 1;
        let recorder = Recorder::default();
        apply_wrapup(
            &platform,
            &by_name("Sale completed"),
            &NO_WAIT,
            Some(&recorder),
            &CancellationToken::new(),
        )
        .await
        .expect("the second post lands");
        let endpoint = format!(
            "POST /api/v2/conversations/calls/{CONV}/participants/{AGENT}/communications/{AGENT_CALL}/wrapup"
        );
        let read_back = format!("GET /api/v2/conversations/{CONV}/participants/{AGENT}/wrapup");
        let posting = WrapupEvent::Posting {
            endpoint: endpoint.clone(),
        };
        let verifying = WrapupEvent::Verifying {
            read_back: read_back.clone(),
        };
        assert_eq!(
            *recorder.0.lock().expect("not poisoned"),
            vec![
                WrapupEvent::Resolving {
                    conversation_id: CONV.into()
                },
                WrapupEvent::Resolved {
                    participant_id: AGENT.into(),
                    media: MediaType::Calls,
                    communication_id: AGENT_CALL.into(),
                    code_id: SALE.into(),
                    code_name: Some("Sale completed".into()),
                },
                posting.clone(),
                verifying.clone(),
                WrapupEvent::PostingAgain {
                    detail: "the platform answered HTTP 503".into()
                },
                posting,
                verifying,
                WrapupEvent::Verified {
                    participant_id: AGENT.into(),
                    code_id: SALE.into()
                },
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_ends_the_delays_between_read_backs_at_once() {
        let platform = FakePlatform {
            ignore_writes: true,
            ..FakePlatform::ended()
        };
        let long = Duration::from_secs(600);
        let cancel = CancellationToken::new();
        cancel.cancel();
        let started = tokio::time::Instant::now();
        let error = apply_wrapup(
            &platform,
            &by_name("Sale completed"),
            &[Duration::ZERO, long, long],
            None,
            &cancel,
        )
        .await
        .expect_err("nothing persisted");
        assert_eq!(started.elapsed(), Duration::ZERO, "no delay was waited out");
        assert!(
            matches!(error, WrapupError::NotPersisted { .. }),
            "{error:?}"
        );
        let posts = platform.posts.lock().expect("not poisoned");
        assert_eq!(posts.len(), 1, "nothing is posted again after a stop");
    }

    #[tokio::test]
    async fn a_write_the_platform_drops_fails_saying_what_was_sent() {
        let platform = FakePlatform {
            ignore_writes: true,
            ..FakePlatform::ended()
        };
        let error = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect_err("nothing persisted");
        let WrapupError::NotPersisted {
            choice,
            sent,
            found,
            ..
        } = &error
        else {
            panic!("expected NotPersisted, got {error:?}");
        };
        assert_eq!(choice.input(), InputName::CodeName);
        assert_eq!(sent.code_id, SALE);
        assert_eq!(sent.code_name.as_deref(), Some("Sale completed"));
        assert_eq!(found, "it holds no wrap-up");
    }

    #[tokio::test]
    async fn a_lost_answer_for_a_write_that_did_not_land_is_posted_again() {
        let platform = FakePlatform::ended();
        *platform.lost_answers.lock().expect("not poisoned") = 1;
        let applied = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect("the second post lands");
        assert_eq!(applied.code.id, SALE);
        assert_eq!(platform.posts.lock().expect("not poisoned").len(), 2);
    }

    #[tokio::test]
    async fn answers_lost_every_time_stop_after_three_posts_saying_nothing_landed() {
        let platform = FakePlatform::ended();
        *platform.lost_answers.lock().expect("not poisoned") = 10;
        let error = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect_err("nothing landed");
        assert_eq!(
            platform.posts.lock().expect("not poisoned").len(),
            MAX_POSTS
        );
        let WrapupError::Platform {
            error: PlatformError::Ambiguous(detail),
            ..
        } = &error
        else {
            panic!("expected an ambiguous platform error, got {error:?}");
        };
        assert!(detail.contains("HTTP 503"), "{detail}");
        assert!(detail.contains("not applied"), "{detail}");
    }

    /// A platform whose agent already holds "Sale completed" with the notes `by_name` sends.
    fn holding_the_sale(ignore_writes: bool, end_times: bool) -> FakePlatform {
        let platform = FakePlatform {
            ignore_writes,
            end_times,
            ..FakePlatform::ended()
        };
        platform.store_wrapup(genesys_client::models::Wrapup {
            code: Some(SALE.into()),
            notes: Some("back-filled".into()),
            ..Default::default()
        });
        platform
    }

    /// What a `NotPersisted` error says the platform holds.
    fn found(error: &WrapupError) -> &str {
        match error {
            WrapupError::NotPersisted { found, .. } => found,
            _ => panic!("expected NotPersisted, got {error:?}"),
        }
    }

    #[tokio::test]
    async fn a_dropped_write_of_values_already_held_fails_on_the_unmoved_end_time() {
        let platform = holding_the_sale(true, true);
        let error = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect_err("the end time never moved");
        assert_eq!(
            error.to_string(),
            "The platform accepted the wrap-up write but did not persist it"
        );
        let found = found(&error);
        assert!(found.contains("endTime"), "{found}");
        assert!(found.contains("2026-12-01T10:00:00.000Z"), "{found}");
    }

    #[tokio::test]
    async fn a_kept_write_of_values_already_held_is_verified_by_the_moved_end_time() {
        let platform = holding_the_sale(false, true);
        let applied = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect("the end time moved");
        assert_eq!(applied.unproven, None);
    }

    #[tokio::test]
    async fn values_already_held_without_end_times_apply_saying_why_nothing_proves_it() {
        let platform = holding_the_sale(true, false);
        let applied = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect("nothing contradicts the write");
        let unproven = applied.unproven.expect("the write is not proven");
        assert!(unproven.contains("cannot tell"), "{unproven}");
    }

    #[tokio::test]
    async fn a_dropped_notes_change_fails_naming_the_notes_held() {
        let platform = holding_the_sale(true, true);
        let spec = DesiredWrapup {
            notes: Some("corrected".into()),
            ..by_name("Sale completed")
        };
        let error = apply_wrapup(&platform, &spec, &NO_WAIT, None, &CancellationToken::new())
            .await
            .expect_err("the notes were not kept");
        let found = found(&error);
        assert!(
            found.contains("its notes are \"back-filled\", not \"corrected\""),
            "{found}"
        );
    }

    #[tokio::test]
    async fn a_resolution_without_an_end_time_is_read_once_before_the_write() {
        let platform = holding_the_sale(true, true);
        let resolution = resolve_wrapup(&platform, &by_name("Sale completed"))
            .await
            .expect("resolved");
        let resolution = Resolution {
            before: resolution.before.map(|before| AssignedWrapupCode {
                end_time: None,
                ..before
            }),
            ..resolution
        };
        let error = apply_resolved(
            &platform,
            &by_name("Sale completed"),
            resolution,
            &NO_WAIT,
            None,
            &CancellationToken::new(),
        )
        .await
        .expect_err("the fresh read shows the end time did not move");
        assert!(
            matches!(error, WrapupError::NotPersisted { .. }),
            "{error:?}"
        );
        // One read before the write, then one per verify delay.
        assert_eq!(*platform.wrapup_reads.lock().expect("not poisoned"), 3);
    }

    #[tokio::test]
    async fn a_code_not_assigned_to_the_queue_lists_the_allowed_names() {
        let platform = FakePlatform::ended();
        let error = apply_now(&platform, &by_name("Refund"))
            .await
            .expect_err("unknown name");
        let WrapupError::CodeUnknown {
            choice, allowed, ..
        } = &error
        else {
            panic!("expected CodeUnknown, got {error:?}");
        };
        assert_eq!(choice.input(), InputName::CodeName);
        assert_eq!(
            allowed,
            &vec![
                format!("\"Sale completed\" ({SALE})"),
                format!("\"No sale\" ({NO_SALE})")
            ]
        );
        assert!(platform.posts.lock().expect("not poisoned").is_empty());
    }

    #[tokio::test]
    async fn a_connected_agent_is_refused_before_anything_is_posted() {
        let platform = FakePlatform::with_agent_state("connected");
        let error = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect_err("still connected");
        assert_eq!(error.to_string(), "Participant is not awaiting wrap-up");
        let WrapupError::NotAwaitingWrapup { input, state, .. } = &error else {
            panic!("expected NotAwaitingWrapup, got {error:?}");
        };
        assert_eq!(state, "connected");
        // The participant was resolved from the conversation: the error is on what selected it.
        assert_eq!(*input, InputName::ConversationId);
        assert!(platform.posts.lock().expect("not poisoned").is_empty());
    }

    #[tokio::test]
    async fn a_missing_conversation_is_its_own_error() {
        let platform = FakePlatform::ended();
        platform.purge();
        let error = apply_now(&platform, &by_name("Sale completed"))
            .await
            .expect_err("no conversation");
        assert!(
            matches!(error, WrapupError::ConversationNotFound { .. }),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_customer_named_as_participant_is_refused_on_the_participant() {
        let platform = FakePlatform::ended();
        let base = by_name("Sale completed");
        let spec = DesiredWrapup {
            target: TargetChoice {
                participant_id: Some(CUSTOMER.into()),
                ..base.target
            },
            ..base
        };
        let error = apply_wrapup(&platform, &spec, &NO_WAIT, None, &CancellationToken::new())
            .await
            .expect_err("customers take no wrap-up");
        assert_eq!(error.to_string(), "Participant does not take a wrap-up");
        assert!(
            matches!(
                error,
                WrapupError::WrapupNotRequired {
                    input: InputName::ParticipantId,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
