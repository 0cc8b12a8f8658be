//! Progress of one wrap-up, as domain events: the caller decides what to make of them (the
//! action shows each as a progress message; the resource leaves them to the debug log, where
//! every event goes anyway).

use async_trait::async_trait;
use genesys_client::MediaType;

/// One step of applying a wrap-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrapupEvent {
    /// Resolution of the participant, communication and code has started.
    Resolving { conversation_id: String },
    /// The communication and the code's ID are known.
    Resolved {
        participant_id: String,
        media: MediaType,
        communication_id: String,
        code_id: String,
        code_name: Option<String>,
    },
    /// The wrap-up is being posted to `endpoint` (method and path, IDs filled in).
    Posting { endpoint: String },
    /// The wrap-up is being read back with `read_back` (method and path).
    Verifying { read_back: String },
    /// The read-back holds what was sent, and shows this write put it there.
    Verified {
        participant_id: String,
        code_id: String,
    },
    /// The read-back holds what was sent, as the participant did before the write, and shows
    /// nothing (no `endTime`) that would prove this write landed.
    HeldBefore {
        participant_id: String,
        code_id: String,
    },
    /// The write's answer was lost (`detail`) and the read-back shows it did not land: it is
    /// posted again.
    PostingAgain { detail: String },
}

/// Where a caller wants the events of a wrap-up to go.
#[async_trait]
pub trait WrapupProgress: Send + Sync {
    /// Takes one event; called in the order the steps happen.
    async fn report(&self, event: WrapupEvent);
}

/// Logs `event` and hands it to `progress`, when the caller gave one.
pub(super) async fn report(progress: Option<&dyn WrapupProgress>, event: WrapupEvent) {
    tracing::debug!(?event, "conversation wrap-up");
    if let Some(progress) = progress {
        progress.report(event).await;
    }
}
