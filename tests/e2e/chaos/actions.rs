//! The chaos suite's data source and actions: the `genesyscloud_conversations` listing a seed's
//! `for_each` wrap-ups come from, the single `genesyscloud_conversation_wrapup` action and the
//! bulk `genesyscloud_conversation_wrapup_backfill` action (fired by a `terraform_data`'s
//! `action_trigger` in the faulty apply, then invoked again without faults), and the checks of
//! what they leave: a listing is whole or the apply failed, every target holds its values,
//! nothing else was written, nothing was written twice beyond the re-post rules, and the bulk
//! action's summary counts what the platform holds.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::Value;

use super::{ConfigSpec, World, text};
use crate::wrapupcode_common::Org;

/// The day every seeded conversation started and ended on (UTC).
pub(super) const DAY: &str = "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z";

/// The data source's address.
const LISTING: &str = "data.genesyscloud_conversations.day";

/// The single action's address.
pub(super) const SINGLE: &str = "action.genesyscloud_conversation_wrapup.single";

/// The bulk action's address.
pub(super) const BULK: &str = "action.genesyscloud_conversation_wrapup_backfill.bulk";

/// The code the back-fill queue's pre-wrapped participants hold (no code of the org: seeded as
/// is, and the back-fill must leave it).
pub(super) const EARLIER_CODE: &str = "00000000-0000-4000-8000-00000000c0de";

/// The notes of the pre-wrapped participants.
pub(super) const EARLIER_NOTES: &str = "wrapped before";

/// The most posts the provider makes for one wrap-up in one run (a write whose answer was lost
/// and whose read-back shows it did not land is posted again, at most three posts).
pub(super) const MOST_POSTS: u64 = 3;

/// The single action: which seeded conversation, which code (by label), by ID or by name.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SingleAction {
    pub conversation: usize,
    pub code: String,
    pub by_name: bool,
    pub notes: String,
}

/// The bulk action over the back-fill queue, with code `c0` (by ID or by name).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BulkAction {
    pub by_name: bool,
    pub notes: String,
}

/// The actions a configuration declares and fires from `terraform_data.trigger`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Actions {
    pub single: Option<SingleAction>,
    pub bulk: Option<BulkAction>,
    /// The trigger waits for the queue's codes (else it fires as the apply starts).
    pub after_queue: bool,
    /// `terraform_data.trigger`'s input: a change fires the actions (on update only).
    pub round: &'static str,
}

impl Actions {
    /// The action addresses declared, for `-invoke`.
    pub(super) fn addresses(&self) -> Vec<&'static str> {
        let mut addresses = Vec::new();
        if self.single.is_some() {
            addresses.push(SINGLE);
        }
        if self.bulk.is_some() {
            addresses.push(BULK);
        }
        addresses
    }
}

/// The conversations of the back-fill queue: those without a wrap-up, and those wrapped up
/// before with [`EARLIER_CODE`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Backfill {
    pub missing: usize,
    pub wrapped: usize,
}

/// A code's reference: its ID attribute, or its name as a string.
fn code_ref(config: &ConfigSpec, label: &str, by_name: bool) -> String {
    if by_name {
        let name = &config
            .codes
            .iter()
            .find(|c| c.label == label)
            .expect("an action names a code of its configuration")
            .name;
        format!("wrapup_code_name = \"{name}\"")
    } else {
        format!("wrapup_code_id   = genesyscloud_routing_wrapupcode.{label}.id")
    }
}

/// The listing, the `for_each` wrap-ups found through it, the back-fill queue's codes and the
/// actions with their trigger.
pub(super) fn hcl(world: &World, config: &ConfigSpec) -> String {
    let mut hcl = format!(
        "data \"genesyscloud_conversations\" \"day\" {{\n  interval  = \"{DAY}\"\n  queue_ids = [\"{}\"]\n}}\n\n",
        world.queue_id
    );
    let found: Vec<String> = config
        .wrapups
        .iter()
        .filter(|w| w.found)
        .map(|w| {
            let (conversation, _, _) = &world.conversations[w.conversation];
            let (id, name) = if w.by_name {
                let name = &config
                    .codes
                    .iter()
                    .find(|c| c.label == w.code)
                    .expect("a wrap-up names a code of its configuration")
                    .name;
                ("null".to_owned(), format!("\"{name}\""))
            } else {
                (
                    format!("genesyscloud_routing_wrapupcode.{}.id", w.code),
                    "null".to_owned(),
                )
            };
            format!(
                "    \"{conversation}\" = {{ id = {id}, name = {name}, notes = \"{}\" }}\n",
                w.notes
            )
        })
        .collect();
    if !found.is_empty() {
        hcl += &format!(
            "locals {{\n  found = {{\n{}  }}\n}}\n\nresource \"genesyscloud_conversation_wrapup\" \"found\" {{\n  for_each = {{\n    for c in data.genesyscloud_conversations.day.conversations :\n    c.participant_id => c if contains(keys(local.found), c.conversation_id)\n  }}\n  conversation_id  = each.value.conversation_id\n  participant_id   = each.value.participant_id\n  communication_id = each.value.communication_id\n  wrapup_code_id   = local.found[each.value.conversation_id].id\n  wrapup_code_name = local.found[each.value.conversation_id].name\n  notes            = local.found[each.value.conversation_id].notes\n  depends_on       = [genesyscloud_routing_queue_wrapupcodes.q]\n}}\n\n",
            found.join("")
        );
    }
    if config.codes.iter().any(|c| c.label == "c0") {
        hcl += &format!(
            "resource \"genesyscloud_routing_queue_wrapupcodes\" \"b\" {{\n  queue_id        = \"{}\"\n  wrapup_code_ids = [genesyscloud_routing_wrapupcode.c0.id]\n}}\n\n",
            world.backfill_queue_id
        );
    }
    let actions = &config.actions;
    if let Some(single) = &actions.single {
        let (conversation, _, _) = &world.conversations[single.conversation];
        hcl += &format!(
            "action \"genesyscloud_conversation_wrapup\" \"single\" {{\n  config {{\n    conversation_id  = \"{conversation}\"\n    {}\n    notes            = \"{}\"\n  }}\n}}\n\n",
            code_ref(config, &single.code, single.by_name),
            single.notes
        );
    }
    if let Some(bulk) = &actions.bulk {
        hcl += &format!(
            "action \"genesyscloud_conversation_wrapup_backfill\" \"bulk\" {{\n  config {{\n    interval          = \"{DAY}\"\n    queue_ids         = [\"{}\"]\n    {}\n    notes             = \"{}\"\n    max_conversations = 1000\n  }}\n}}\n\n",
            world.backfill_queue_id,
            code_ref(config, "c0", bulk.by_name),
            bulk.notes
        );
    }
    let fired = actions.addresses();
    if !fired.is_empty() {
        let depends = if actions.after_queue {
            "  depends_on = [genesyscloud_routing_queue_wrapupcodes.q, genesyscloud_routing_queue_wrapupcodes.b]\n"
        } else {
            ""
        };
        hcl += &format!(
            "resource \"terraform_data\" \"trigger\" {{\n  input = \"{}\"\n{depends}  lifecycle {{\n    action_trigger {{\n      events  = [after_update]\n      actions = [{}]\n    }}\n  }}\n}}\n\n",
            actions.round,
            fired.join(", ")
        );
    }
    hcl
}

/// Performed wrap-up writes by participant (the emulator's `wrapup_writes`).
pub(super) type Writes = BTreeMap<String, u64>;

/// The emulator's performed wrap-up writes so far.
pub(super) fn wrapup_writes(org: &Org) -> Writes {
    org.requests()["wrapup_writes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(participant, n)| (participant.clone(), n.as_u64().unwrap_or(0)))
        .collect()
}

/// The writes made between two snapshots.
pub(super) fn writes_between(before: &Writes, after: &Writes) -> Writes {
    after
        .iter()
        .map(|(p, n)| (p.clone(), n - before.get(p).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Conversations of the listing's filter (the queue and the day) that the data source in
/// state leaves out or adds: a half-read listing. When the apply succeeded the listing must be
/// in state.
pub(super) fn listing_violations(
    state: &Value,
    expected: &BTreeSet<String>,
    apply_succeeded: bool,
) -> Vec<String> {
    let listing = state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["address"] == LISTING);
    let Some(listing) = listing else {
        return if apply_succeeded {
            vec![format!("the apply succeeded but state holds no {LISTING}")]
        } else {
            Vec::new()
        };
    };
    let listed: Vec<String> = listing["values"]["conversations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| text(&c["conversation_id"]))
        .collect();
    let distinct: BTreeSet<String> = listed.iter().cloned().collect();
    let mut violations = Vec::new();
    if distinct != *expected || listed.len() != expected.len() {
        violations.push(format!(
            "{LISTING} in state lists {} entries ({} conversations); the filter holds {}: \
             missing {:?}, not in the filter {:?}",
            listed.len(),
            distinct.len(),
            expected.len(),
            expected.difference(&distinct).collect::<Vec<_>>(),
            distinct.difference(expected).collect::<Vec<_>>()
        ));
    }
    violations
}

/// Participants written more often in one run than `limit` allows.
pub(super) fn run_violations(run: &str, writes: &Writes, limit: u64) -> Vec<String> {
    writes
        .iter()
        .filter(|(_, n)| **n > limit)
        .map(|(participant, n)| {
            format!("{run} wrote participant {participant}'s wrap-up {n} times (at most {limit})")
        })
        .collect()
}

/// The bulk action's final counts, as its summary prints them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Summary {
    pub written: u64,
    pub skipped: u64,
    pub wrapped_up: u64,
    pub not_required: u64,
    pub refused: u64,
    pub failed: u64,
    pub not_sent: u64,
}

impl Summary {
    /// The last final summary ("Back-fill of … finished: …" or "… stopped: …") in `printed`.
    pub(super) fn last_in(printed: &str) -> Option<Summary> {
        let start = printed
            .rfind("finished: ")
            .map(|i| i + "finished: ".len())
            .into_iter()
            .chain(printed.rfind("stopped: ").map(|i| i + "stopped: ".len()))
            .max()?;
        let line = printed[start..].lines().next()?;
        let numbers: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        let [
            written,
            skipped,
            wrapped_up,
            not_required,
            refused,
            failed,
            rest @ ..,
        ] = numbers.as_slice()
        else {
            return None;
        };
        let not_sent = if line.contains("not sent") {
            rest.first().copied().unwrap_or(0)
        } else {
            0
        };
        Some(Summary {
            written: *written,
            skipped: *skipped,
            wrapped_up: *wrapped_up,
            not_required: *not_required,
            refused: *refused,
            failed: *failed,
            not_sent,
        })
    }
}

/// What the actions' checks need: the writes of the faulty apply, of the clean apply and of
/// the clean invocations, and what those printed.
pub(super) struct ActionRuns<'a> {
    pub faulty: &'a Writes,
    pub clean_apply: &'a Writes,
    pub invoked: &'a Writes,
    pub faulty_printed: &'a str,
    /// The clean invocation of the bulk action's output (when the schedule has it).
    pub bulk_printed: Option<&'a str>,
    /// Bulk targets that held the back-fill code before the clean invocation.
    pub held_before_invoke: &'a BTreeSet<String>,
}

/// A participant's wrap-up (code, notes), or `None` when it holds none.
fn held(org: &Org, conversation: &str, participant: &str) -> Option<(String, String)> {
    let (status, answer) = org.emulator.api(
        Method::GET,
        &format!("conversations/{conversation}/participants/{participant}/wrapup"),
        None,
    );
    (status == 200).then(|| (text(&answer["code"]), text(&answer["notes"])))
}

/// The back-fill targets (participants) that hold `code` now.
pub(super) fn holding(world: &World, code: &str) -> BTreeSet<String> {
    world
        .backfill_missing
        .iter()
        .filter(|(c, p)| held(&world.org, c, p).is_some_and(|(held, _)| held == code))
        .map(|(_, p)| p.clone())
        .collect()
}

/// The invariants of the actions after their clean invocation.
pub(super) fn action_violations(
    world: &World,
    config: &ConfigSpec,
    code_ids: &BTreeMap<String, String>,
    runs: &ActionRuns<'_>,
) -> Vec<String> {
    let org = &world.org;
    let actions = &config.actions;
    let mut violations = Vec::new();

    // Who may be written at all: the configuration's wrap-ups and the actions' targets.
    let mut allowed: BTreeSet<String> = world
        .conversations
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            actions
                .single
                .as_ref()
                .is_none_or(|single| single.conversation != *i)
        })
        .map(|(_, (_, participant, _))| participant.clone())
        .collect();
    if let Some(single) = &actions.single {
        allowed.insert(world.conversations[single.conversation].1.clone());
    }
    if actions.bulk.is_some() {
        allowed.extend(world.backfill_missing.iter().map(|(_, p)| p.clone()));
    }
    for (run, writes) in [
        ("the faulty apply", runs.faulty),
        ("the clean apply", runs.clean_apply),
        ("the clean invocation", runs.invoked),
    ] {
        let outside: Vec<&String> = writes.keys().filter(|p| !allowed.contains(*p)).collect();
        if !outside.is_empty() {
            violations.push(format!(
                "{run} wrote participants no wrap-up or action targets: {outside:?}"
            ));
        }
    }
    violations.extend(run_violations("the faulty apply", runs.faulty, MOST_POSTS));
    violations.extend(run_violations("the clean apply", runs.clean_apply, 1));
    violations.extend(run_violations("the clean invocation", runs.invoked, 1));

    // Nothing outside the targets changed: the filler and pre-wrapped participants.
    for (conversation, participant) in &world.fillers {
        if let Some(wrapup) = held(org, conversation, participant) {
            violations.push(format!(
                "filler participant {participant} holds {wrapup:?}, it held nothing"
            ));
        }
    }
    for (conversation, participant) in &world.backfill_wrapped {
        let wrapup = held(org, conversation, participant);
        if wrapup != Some((EARLIER_CODE.to_owned(), EARLIER_NOTES.to_owned())) {
            violations.push(format!(
                "pre-wrapped participant {participant} holds {wrapup:?}, it held \
                 {EARLIER_CODE}/{EARLIER_NOTES:?}"
            ));
        }
    }

    if let Some(single) = &actions.single {
        let (conversation, participant, _) = &world.conversations[single.conversation];
        let code = code_ids.get(&single.code).cloned().unwrap_or_default();
        let wrapup = held(org, conversation, participant);
        if wrapup != Some((code.clone(), single.notes.clone())) {
            violations.push(format!(
                "the single action's participant {participant} holds {wrapup:?}, the action \
                 writes {code}/{:?}",
                single.notes
            ));
        }
        let invoked = runs.invoked.get(participant).copied().unwrap_or(0);
        if invoked != 1 {
            violations.push(format!(
                "the single action's clean invocation wrote participant {participant} {invoked} \
                 times (once)"
            ));
        }
    }

    if let Some(bulk) = &actions.bulk {
        let code = code_ids.get("c0").cloned().unwrap_or_default();
        violations.extend(bulk_violations(world, &code, &bulk.notes, runs));
    }
    violations
}

/// The bulk action's invariants: every target holds the code and notes; the clean invocation
/// wrote exactly the targets that did not hold the code yet (and at most once those analytics
/// may still have shown without it); its summary counts what it wrote and skipped; the faulty
/// run's summary claims no write the platform does not hold.
fn bulk_violations(world: &World, code: &str, notes: &str, runs: &ActionRuns<'_>) -> Vec<String> {
    let mut violations = Vec::new();
    let org = &world.org;
    for (conversation, participant) in &world.backfill_missing {
        let wrapup = held(org, conversation, participant);
        if wrapup != Some((code.to_owned(), notes.to_owned())) {
            violations.push(format!(
                "back-fill target {participant} holds {wrapup:?}, the action writes \
                 {code}/{notes:?}"
            ));
        }
        let invoked = runs.invoked.get(participant).copied().unwrap_or(0);
        if !runs.held_before_invoke.contains(participant) && invoked != 1 {
            violations.push(format!(
                "back-fill target {participant} held no code before the clean invocation, \
                 which wrote it {invoked} times (once)"
            ));
        }
    }
    let total = (world.backfill_missing.len() + world.backfill_wrapped.len()) as u64;
    let written_now: u64 = world
        .backfill_missing
        .iter()
        .map(|(_, p)| runs.invoked.get(p).copied().unwrap_or(0))
        .sum();
    match runs.bulk_printed.map(Summary::last_in) {
        Some(Some(summary)) => {
            let expected = Summary {
                written: written_now,
                skipped: total - written_now,
                wrapped_up: total - written_now,
                ..Summary::default()
            };
            if summary != expected {
                violations.push(format!(
                    "the clean back-fill's summary counts {summary:?}; the platform and the \
                     emulator's writes say {expected:?}"
                ));
            }
        }
        Some(None) => violations.push("the clean back-fill printed no summary".to_owned()),
        None => violations.push("the bulk action was not invoked again".to_owned()),
    }
    if let Some(summary) = Summary::last_in(runs.faulty_printed) {
        let landed: u64 = world
            .backfill_missing
            .iter()
            .filter(|(_, p)| runs.faulty.contains_key(p))
            .count() as u64;
        let counted =
            summary.written + summary.skipped + summary.refused + summary.failed + summary.not_sent;
        if summary.written > landed || counted > total || summary.refused > 0 {
            violations.push(format!(
                "the faulty back-fill's summary counts {summary:?}: {landed} targets were \
                 written, {total} conversations are in its filter, none is to be refused"
            ));
        }
    }
    violations
}
