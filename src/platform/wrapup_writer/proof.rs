//! What a read-back must show before a wrap-up write counts as applied: every field the write
//! set (code, notes, tags, duration) and, when the participant already held those same values
//! before the write, a sign that this write landed. The platform moves a wrap-up's `endTime`
//! on each write unless the write asks it not to (the API's `WrapupInput.disableEndTimeUpdates`:
//! "Prevent updates to wrapup end time when set to true"), so a changed `endTime` is that sign.

use genesys_client::models::{AssignedWrapupCode, Conversation, WrapupBody};

/// The participant's wrap-up before the write, as plan (or the apply's own conversation read)
/// saw it: `None` when it held none.
pub type Before = Option<AssignedWrapupCode>;

/// The participant's wrap-up as embedded in `conversation`, in the read-back's shape.
pub fn before_in(conversation: &Conversation, participant_id: &str) -> Before {
    let wrapup = conversation.participant(participant_id)?.wrapup.as_ref()?;
    wrapup
        .code
        .as_deref()
        .is_some_and(|code| !code.is_empty())
        .then(|| AssignedWrapupCode {
            code: wrapup.code.clone(),
            notes: wrapup.notes.clone(),
            tags: wrapup.tags.clone(),
            duration_seconds: wrapup.duration_seconds,
            end_time: wrapup.end_time.clone(),
        })
}

fn sorted(tags: &[String]) -> Vec<&str> {
    let mut tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    tags
}

/// How `held` differs from what `sent` set, one phrase per field ("its notes are …"); empty
/// when it holds everything the write set. Fields the write left out are not compared: the
/// platform may fill them in itself (a duration it measured, say).
pub fn differences(held: Option<&AssignedWrapupCode>, sent: &WrapupBody) -> Vec<String> {
    let Some(held) = held else {
        return vec!["it holds no wrap-up".into()];
    };
    let mut found = Vec::new();
    match held.code.as_deref() {
        Some(code) if code.eq_ignore_ascii_case(&sent.code) => {}
        Some(code) => found.push(format!("it holds code {code} instead")),
        None => found.push("it holds no wrap-up code".into()),
    }
    if let Some(notes) = &sent.notes {
        let held_notes = held.notes.as_deref().unwrap_or_default();
        if held_notes != notes {
            found.push(format!("its notes are {held_notes:?}, not {notes:?}"));
        }
    }
    if let Some(tags) = &sent.tags {
        let held_tags = held.tags.as_deref().unwrap_or_default();
        if sorted(held_tags) != sorted(tags) {
            found.push(format!("its tags are {held_tags:?}, not {tags:?}"));
        }
    }
    if let Some(duration) = sent.duration_seconds
        && held.duration_seconds != Some(duration)
    {
        found.push(match held.duration_seconds {
            Some(held) => format!("its duration is {held} s, not {duration} s"),
            None => format!("it has no duration, not {duration} s"),
        });
    }
    found
}

/// What a read-back that holds everything the write set tells about the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The participant did not hold these values before: the write put them there.
    Changed,
    /// It held them already, and `endTime` moved: the write landed.
    EndTimeMoved,
    /// It held them already and `endTime` has not moved (yet): nothing shows the write landed.
    EndTimeUnchanged(String),
    /// It held them already and the platform shows no `endTime` to compare: the read-back
    /// cannot tell this write from the earlier one.
    Unprovable,
}

/// Judges a read-back that [`differences`] found complete, against the state before the write.
pub fn evidence(before: &Before, after: &AssignedWrapupCode, sent: &WrapupBody) -> Evidence {
    let Some(before) = before else {
        return Evidence::Changed;
    };
    if !differences(Some(before), sent).is_empty() {
        return Evidence::Changed;
    }
    match (before.end_time.as_deref(), after.end_time.as_deref()) {
        (Some(was), Some(now)) if was != now => Evidence::EndTimeMoved,
        (Some(was), Some(_)) => Evidence::EndTimeUnchanged(was.to_owned()),
        _ => Evidence::Unprovable,
    }
}

/// Whether the state before the write holds what `sent` sets but no `endTime`, so that only a
/// fresh read before the write can give the end time to compare with.
pub fn needs_end_time(before: &Before, sent: &WrapupBody) -> bool {
    before
        .as_ref()
        .is_some_and(|b| b.end_time.is_none() && differences(Some(b), sent).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(code: &str, notes: Option<&str>, end: Option<&str>) -> AssignedWrapupCode {
        AssignedWrapupCode {
            code: Some(code.into()),
            notes: notes.map(str::to_owned),
            tags: Some(vec!["b".into(), "a".into()]),
            duration_seconds: Some(30),
            end_time: end.map(str::to_owned),
        }
    }

    fn sent(code: &str, notes: &str) -> WrapupBody {
        WrapupBody {
            code: code.into(),
            notes: Some(notes.into()),
            tags: Some(vec!["a".into(), "b".into()]),
            duration_seconds: Some(30),
            ..WrapupBody::default()
        }
    }

    #[test]
    fn every_field_written_is_compared() {
        let input = sent("c", "new");
        assert!(differences(Some(&held("C", Some("new"), None)), &input).is_empty());
        assert_eq!(
            differences(Some(&held("c", Some("old"), None)), &input),
            vec!["its notes are \"old\", not \"new\"".to_owned()]
        );
        let mut other = held("d", None, None);
        other.tags = None;
        other.duration_seconds = Some(12);
        let found = differences(Some(&other), &input);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(differences(None, &input), vec!["it holds no wrap-up"]);
    }

    #[test]
    fn fields_the_write_left_out_are_not_compared() {
        let input = WrapupBody {
            code: "c".into(),
            ..WrapupBody::default()
        };
        assert!(differences(Some(&held("c", Some("any"), None)), &input).is_empty());
    }

    #[test]
    fn the_same_values_need_a_moved_end_time() {
        let input = sent("c", "n");
        let was = Some(held("c", Some("n"), Some("2026-12-01T10:00:00.000Z")));
        let moved = held("c", Some("n"), Some("2026-12-01T10:05:00.000Z"));
        let same = held("c", Some("n"), Some("2026-12-01T10:00:00.000Z"));
        assert_eq!(evidence(&was, &moved, &input), Evidence::EndTimeMoved);
        assert!(matches!(
            evidence(&was, &same, &input),
            Evidence::EndTimeUnchanged(_)
        ));
        assert_eq!(
            evidence(&Some(held("c", Some("n"), None)), &moved, &input),
            Evidence::Unprovable
        );
        assert_eq!(evidence(&None, &same, &input), Evidence::Changed);
        let other_notes = Some(held("c", Some("old"), Some("2026-12-01T10:00:00.000Z")));
        assert_eq!(evidence(&other_notes, &same, &input), Evidence::Changed);
    }

    #[test]
    fn only_equal_values_without_an_end_time_need_a_fresh_read() {
        let input = sent("c", "n");
        assert!(needs_end_time(&Some(held("c", Some("n"), None)), &input));
        assert!(!needs_end_time(
            &Some(held("c", Some("n"), Some("2026-12-01T10:00:00.000Z"))),
            &input
        ));
        assert!(!needs_end_time(&Some(held("c", Some("old"), None)), &input));
        assert!(!needs_end_time(&None, &input));
    }
}
