//! Posting a wrap-up and proving it persisted: the platform answers a wrap-up POST with
//! success even when it keeps nothing (a label sent where the ID belongs), so every write is
//! read back and compared before it counts as applied.

use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::access::ConversationApi;
use super::error::{SentWrapup, WrapupError};
use super::inputs::WrapupSpec;
use super::resolve::{ResolvedCode, Target, check_awaiting_wrapup, resolve_code, resolve_target};
use crate::genesys::models::WrapupInput;
use crate::resources::support::PlatformError;
use crate::tfplugin::ProgressSink;

/// Waits before each read-back: the first is immediate, the rest cover the platform's
/// read-after-write lag (about 3 s in all) before a missing wrap-up counts as not persisted.
pub const VERIFY_DELAYS: [Duration; 6] = [
    Duration::ZERO,
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
    Duration::from_millis(1500),
];

/// A wrap-up the platform holds, as read back after the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub target: Target,
    pub code: ResolvedCode,
    /// When the read-back confirmed it (RFC 3339, UTC).
    pub applied_at: String,
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

async fn say(progress: Option<&ProgressSink>, message: String) {
    tracing::debug!(%message, "conversation wrap-up");
    if let Some(progress) = progress {
        progress.progress(message).await;
    }
}

/// Resolves `spec`, posts the wrap-up to the media's endpoint with the code's ID, then reads
/// the participant's wrap-up back (waiting `verify_delays` between reads) until it holds that
/// code. Reports each stage to `progress`.
pub async fn apply_wrapup(
    api: &dyn ConversationApi,
    spec: &WrapupSpec,
    verify_delays: &[Duration],
    progress: Option<&ProgressSink>,
) -> Result<Applied, WrapupError> {
    say(
        progress,
        format!(
            "Resolving conversation {}: participant, communication and wrap-up code",
            spec.conversation_id
        ),
    )
    .await;
    let (target, _) = resolve_target(api, spec).await?;
    check_awaiting_wrapup(&target)?;
    let code = resolve_code(api, &target, &spec.code).await?;
    say(
        progress,
        format!(
            "Resolved participant {} ({} communication {}); wrap-up code {} is ID {}",
            target.participant_id,
            target.media,
            target.communication_id,
            code.name
                .as_deref()
                .map_or_else(|| "(unnamed)".to_owned(), |name| format!("{name:?}")),
            code.id
        ),
    )
    .await;

    let input = WrapupInput {
        code: code.id.clone(),
        notes: spec.notes.clone(),
        tags: spec.tags.clone(),
        duration_seconds: spec.duration_seconds,
        ..WrapupInput::default()
    };
    let sent = SentWrapup {
        code_id: code.id.clone(),
        code_name: code.name.clone(),
        endpoint: endpoint_for(&target),
    };
    say(progress, format!("Posting the wrap-up: {}", sent.endpoint)).await;
    let lost_answer = match api
        .post_wrapup(
            target.media,
            &target.conversation_id,
            &target.participant_id,
            &target.communication_id,
            &input,
        )
        .await
    {
        Ok(()) => None,
        Err(PlatformError::Ambiguous(detail)) => Some(detail),
        Err(PlatformError::Invalid(failure)) => {
            return Err(WrapupError::Rejected {
                choice: spec.code.configured,
                sent,
                failure: failure.to_string(),
            });
        }
        Err(error) => {
            return Err(WrapupError::platform(
                format!("post the wrap-up ({})", sent.endpoint),
                error,
            ));
        }
    };

    let read_back = read_back_route(&target);
    say(
        progress,
        format!("Verifying the platform kept the wrap-up: {read_back}"),
    )
    .await;
    let mut seen = None;
    for delay in verify_delays {
        if !delay.is_zero() {
            tokio::time::sleep(*delay).await;
        }
        let current = api
            .participant_wrapup(&target.conversation_id, &target.participant_id)
            .await
            .map_err(|error| {
                WrapupError::platform(format!("read the wrap-up back ({read_back})"), error)
            })?;
        seen = current.and_then(|wrapup| wrapup.code);
        if seen
            .as_deref()
            .is_some_and(|found| found.eq_ignore_ascii_case(&code.id))
        {
            let applied_at = OffsetDateTime::now_utc()
                .format(&Rfc3339)
                .expect("the current UTC time always formats as RFC 3339");
            say(
                progress,
                format!(
                    "Verified: participant {} holds wrap-up code {}",
                    target.participant_id, code.id
                ),
            )
            .await;
            return Ok(Applied {
                target,
                code,
                applied_at,
            });
        }
    }
    match lost_answer {
        Some(detail) => Err(WrapupError::platform(
            format!("post the wrap-up ({})", sent.endpoint),
            PlatformError::Ambiguous(format!(
                "{detail}; reading it back shows it was not applied"
            )),
        )),
        None => Err(WrapupError::NotPersisted {
            choice: spec.code.configured,
            sent,
            seen,
            read_back,
        }),
    }
}
