//! What plan resolved, carried to apply in the resource's private state (tfplugin6
//! `planned_private`), so that apply posts the wrap-up without reading the conversation and
//! the queue's codes again: the communication, the code's ID when plan knew it, and the
//! participant's wrap-up before the write (what the read-back must tell this write from).
//!
//! The private bytes are a JSON object; this resource owns one key of it and leaves any other
//! key as it found it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::diagnostics::{input_attribute, input_named};
use crate::platform::wrapup_writer::{Before, ResolvedCode, Target, TargetChoice};
use genesys_client::MediaType;
use genesys_client::models::AssignedWrapupCode;

const KEY: &str = "planned_wrapup";

/// A plan's resolution of the wrap-up: the code is `None` when plan could not resolve it yet
/// (say, the ID of a code created in the same apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub target: Target,
    pub code: Option<ResolvedCode>,
    pub before: Before,
}

#[derive(Debug, Serialize, Deserialize)]
struct Carried {
    conversation_id: String,
    participant_id: String,
    communication_id: String,
    media: String,
    #[serde(default)]
    queue_id: Option<String>,
    #[serde(default)]
    queue_name: Option<String>,
    /// The attribute that selected the communication (the input's attribute name).
    selected_by: String,
    #[serde(default)]
    code_id: Option<String>,
    #[serde(default)]
    code_name: Option<String>,
    #[serde(default)]
    before: Option<AssignedWrapupCode>,
}

fn object(private: &[u8]) -> Map<String, Value> {
    serde_json::from_slice(private).unwrap_or_default()
}

fn bytes(object: &Map<String, Value>) -> Vec<u8> {
    serde_json::to_vec(object).expect("a JSON object of strings always serialises")
}

/// `private` with `planned` stored under this resource's key.
pub fn store(private: &[u8], planned: &Planned) -> Vec<u8> {
    let target = &planned.target;
    let carried = Carried {
        conversation_id: target.conversation_id.clone(),
        participant_id: target.participant_id.clone(),
        communication_id: target.communication_id.clone(),
        media: target.media.to_string(),
        queue_id: target.queue_id.clone(),
        queue_name: target.queue_name.clone(),
        selected_by: input_attribute(target.selected_by).to_owned(),
        code_id: planned.code.as_ref().map(|code| code.id.clone()),
        code_name: planned.code.as_ref().and_then(|code| code.name.clone()),
        before: planned.before.clone(),
    };
    let mut object = object(private);
    object.insert(
        KEY.into(),
        serde_json::to_value(carried).expect("the carried resolution always serialises"),
    );
    bytes(&object)
}

/// The resolution stored in `private`; `None` when there is none, or it is not readable (then
/// apply resolves again).
pub fn load(private: &[u8]) -> Option<Planned> {
    let carried: Carried = serde_json::from_value(object(private).remove(KEY)?).ok()?;
    let media = carried.media.parse::<MediaType>().ok()?;
    let code = carried.code_id.map(|id| ResolvedCode {
        id,
        name: carried.code_name,
    });
    Some(Planned {
        target: Target {
            conversation_id: carried.conversation_id,
            participant_id: carried.participant_id,
            communication_id: carried.communication_id,
            media,
            // Plan only carries a communication it found ended.
            communication_state: "disconnected".into(),
            queue_id: carried.queue_id,
            queue_name: carried.queue_name,
            selected_by: input_named(&carried.selected_by)?,
        },
        code,
        before: carried.before,
    })
}

/// `private` without this resource's key: what state keeps once the wrap-up is applied. No
/// bytes at all when nothing else is left, so state records no private data (an empty JSON
/// object would be kept in every instance, base64-encoded, and rewritten with the state).
pub fn without(private: &[u8]) -> Vec<u8> {
    let mut object = object(private);
    object.remove(KEY);
    if object.is_empty() {
        return Vec::new();
    }
    bytes(&object)
}

/// Whether `carried` is the resolution of `spec` (it always is, unless Terraform hands apply
/// private state from another plan).
pub(super) fn carries(carried: &Planned, spec: &TargetChoice) -> bool {
    let target = &carried.target;
    let same = |given: &Option<String>, resolved: &str| {
        given
            .as_deref()
            .is_none_or(|given| given.eq_ignore_ascii_case(resolved))
    };
    target
        .conversation_id
        .eq_ignore_ascii_case(&spec.conversation_id)
        && same(&spec.participant_id, &target.participant_id)
        && same(&spec.communication_id, &target.communication_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned() -> Planned {
        Planned {
            target: Target {
                conversation_id: "c".into(),
                participant_id: "p".into(),
                communication_id: "m".into(),
                media: MediaType::Emails,
                communication_state: "disconnected".into(),
                queue_id: Some("q".into()),
                queue_name: None,
                selected_by: crate::platform::wrapup_writer::InputName::ParticipantId,
            },
            code: Some(ResolvedCode {
                id: "w".into(),
                name: Some("Sale".into()),
            }),
            before: Some(AssignedWrapupCode {
                code: Some("w".into()),
                end_time: Some("2026-12-01T10:00:00.000Z".into()),
                ..AssignedWrapupCode::default()
            }),
        }
    }

    #[test]
    fn a_stored_resolution_loads_back_and_leaves_other_keys() {
        let private = store(br#"{"other":{"kept":true}}"#, &planned());
        assert_eq!(load(&private), Some(planned()));
        let rest = without(&private);
        assert_eq!(
            serde_json::from_slice::<Value>(&rest).expect("JSON"),
            serde_json::json!({"other": {"kept": true}})
        );
        assert_eq!(load(&rest), None);
    }

    #[test]
    fn nothing_is_left_in_state_when_the_resolution_was_all() {
        assert_eq!(without(&store(b"", &planned())), Vec::<u8>::new());
        assert_eq!(without(b""), Vec::<u8>::new());
        assert_eq!(without(b"{}"), Vec::<u8>::new());
    }

    #[test]
    fn empty_or_foreign_private_bytes_hold_no_resolution() {
        assert_eq!(load(b""), None);
        assert_eq!(load(b"\xc0"), None);
        assert_eq!(load(br#"{"planned_wrapup":{"media":"faxes"}}"#), None);
        let private = store(b"\xc0", &planned());
        assert_eq!(load(&private), Some(planned()));
    }
}
