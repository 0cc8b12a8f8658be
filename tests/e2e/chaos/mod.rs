//! A randomized fault suite through the real Terraform CLI. From a seed it builds a schedule:
//! fault sets installed on the emulator (429 with Retry-After, 5xx, connections dropped after the
//! platform acted, a failure between the calls of one write, a slow link, read-after-write lag,
//! analytics lag, a throttled login), token
//! expiries, and at most one SIGINT (to Terraform's PID or its process group), each fired once the
//! apply has made a given number of API calls. For each seed it applies a mixed configuration
//! cleanly (codes, a queue's codes, wrap-ups on seeded conversations), then applies a changed one
//! (codes added, changed and removed, wrap-ups re-applied and new) under the schedule, then clears
//! the faults and applies again. Every configuration reads the `genesyscloud_conversations`
//! listing of the queue's day (some wrap-ups come from it through a `for_each`), and a seed may
//! fire the single and bulk wrap-up actions from an `action_trigger` in the faulty apply and
//! invoke them again without faults (see `actions.rs`). The invariants: after the faulty apply no
//! code exists that state does not know and a listing in state is whole; after the clean apply
//! the platform equals state and the configuration (no orphan, no duplicate, nothing missing),
//! the actions' targets hold their values, nothing else was written and nothing twice beyond the
//! re-post rules, and `plan -detailed-exitcode` exits 0.
//!
//! Seeds: `CHAOS_SEEDS=1,2,7-9` (a list of seeds and ranges), else `CHAOS_SEED_COUNT=N` (seeds
//! 1..=N), else seeds 1, 2 and 3. A failure prints each failing seed with its schedule; the same
//! seed builds the same schedule. `scripts/chaos.sh [SEEDS]` runs many.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Running, Signal, Workdir};
use crate::wrapupcode_common::{Org, state_codes};

mod actions;

use actions::{Actions, Backfill, BulkAction, SingleAction};

/// Seeds run when the environment names none (CI runs these).
const DEFAULT_SEEDS: [u64; 3] = [1, 2, 3];

/// Every code this suite creates has a name starting with this.
const NAME_PREFIX: &str = "Chaos";

/// A path the faults aim at, with the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Route {
    method: &'static str,
    path: &'static str,
}

const fn route(method: &'static str, path: &'static str) -> Route {
    Route { method, path }
}

/// Every route the configuration's apply uses (globs as the emulator's fault rules read them).
const ROUTES: [Route; 14] = [
    route("POST", "/api/v2/routing/wrapupcodes"),
    route("GET", "/api/v2/routing/wrapupcodes"),
    route("GET", "/api/v2/routing/wrapupcodes/*"),
    route("PUT", "/api/v2/routing/wrapupcodes/*"),
    route("DELETE", "/api/v2/routing/wrapupcodes/*"),
    route("GET", "/api/v2/routing/queues/*/wrapupcodes"),
    route("POST", "/api/v2/routing/queues/*/wrapupcodes"),
    route("DELETE", "/api/v2/routing/queues/*/wrapupcodes/*"),
    route("GET", "/api/v2/conversations/**"),
    route("POST", "/api/v2/conversations/**/wrapup"),
    route("GET", "/api/v2/authorization/divisions/**"),
    route("GET", "/api/v2/analytics/conversations/details"),
    route("POST", "/api/v2/analytics/conversations/details/query"),
    route("*", "/api/v2/**"),
];

/// Writes whose connection may drop after the platform performed them.
const WRITES: [Route; 5] = [
    route("POST", "/api/v2/routing/wrapupcodes"),
    route("PUT", "/api/v2/routing/wrapupcodes/*"),
    route("DELETE", "/api/v2/routing/wrapupcodes/*"),
    route("POST", "/api/v2/routing/queues/*/wrapupcodes"),
    route("POST", "/api/v2/conversations/**/wrapup"),
];

/// The second call of a multi-call write, failed (500, not retried) after the first landed:
/// a queue assignment's DELETE after its POST, its read-back after both, a wrap-up's
/// read-back after its POST.
const SECOND_CALLS: [(Route, u32); 3] = [
    (route("DELETE", "/api/v2/routing/queues/*/wrapupcodes/*"), 0),
    (route("GET", "/api/v2/routing/queues/*/wrapupcodes"), 1),
    (
        route("GET", "/api/v2/conversations/*/participants/*/wrapup"),
        0,
    ),
];

/// One ingredient of a fault set.
#[derive(Debug, Clone, PartialEq)]
enum Fault {
    /// The next `count` matching requests answer 429 with `Retry-After: retry_after`.
    RateLimited {
        at: Route,
        count: u32,
        retry_after: u64,
    },
    /// The next `count` matching requests answer `status` (502, 503 or 504).
    Unavailable { at: Route, status: u16, count: u32 },
    /// The next `count` matching writes are performed, then their connection is closed.
    Dropped { at: Route, count: u32 },
    /// Every answer is held back `ms` (plus up to `jitter_ms`) after the platform acted.
    SlowLink { ms: u64, jitter_ms: u64 },
    /// Listings (and with `by_id` every read) show pre-write data for `ms`.
    Lag { ms: u64, by_id: bool },
    /// The next `count` logins get the login host's rate-limit answer.
    LoginThrottled { count: u32 },
    /// Analytics shows a wrap-up only `ms` after it was written.
    AnalyticsLag { ms: u64 },
    /// After `skip` matching requests pass, the next one answers 500: a fault between the
    /// calls of one write.
    BetweenCalls { at: Route, skip: u32 },
}

/// What the schedule does at a moment.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    /// Replaces the emulator's faults with these (empty: none).
    Faults(Vec<Fault>),
    /// Expires every issued access token.
    ExpireTokens,
    /// SIGINT to Terraform's PID.
    InterruptTerraform,
    /// SIGINT to Terraform's process group (Ctrl-C in a terminal).
    InterruptGroup,
}

/// An action fired once the faulty apply has made `after_calls` API calls.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    after_calls: u64,
    action: Action,
}

/// A code of the configuration: its resource label, name and description.
#[derive(Debug, Clone, PartialEq)]
struct CodeSpec {
    label: String,
    name: String,
    description: Option<String>,
}

/// A wrap-up of the configuration: which seeded conversation, which code (by its label), named
/// by ID or by name, the notes, and whether it is found through the `genesyscloud_conversations`
/// listing (a `for_each` keyed by participant) rather than named by its conversation.
#[derive(Debug, Clone, PartialEq)]
struct WrapupSpec {
    conversation: usize,
    code: String,
    by_name: bool,
    notes: String,
    found: bool,
}

/// One configuration: codes, the queue holding every one of them (and the back-fill queue
/// holding `c0`), the listing of the queue's day, wrap-ups, and the actions a
/// `terraform_data` change fires.
#[derive(Debug, Clone, PartialEq, Default)]
struct ConfigSpec {
    codes: Vec<CodeSpec>,
    wrapups: Vec<WrapupSpec>,
    actions: Actions,
}

/// Everything a seed decides.
#[derive(Debug, Clone, PartialEq)]
struct Schedule {
    seed: u64,
    /// Media of each seeded conversation (seed API names).
    conversations: Vec<&'static str>,
    /// More conversations on the queue's day, wrapped up by nobody, so the listing pages.
    fillers: usize,
    /// The back-fill queue's conversations.
    backfill: Backfill,
    before: ConfigSpec,
    after: ConfigSpec,
    parallelism: u32,
    events: Vec<Event>,
}

const MEDIA: [&str; 4] = ["call", "email", "message", "callback"];

impl Schedule {
    /// The schedule of `seed`; the same seed always gives the same schedule.
    fn from_seed(seed: u64) -> Schedule {
        let mut rng = fastrand::Rng::with_seed(seed);
        let conversations: Vec<&'static str> = (0..rng.usize(2..=5))
            .map(|_| MEDIA[rng.usize(..MEDIA.len())])
            .collect();
        // Which wrap-ups come from the listing, and the single action's conversation (no
        // wrap-up of the configuration names it).
        let found: Vec<bool> = (0..conversations.len()).map(|_| rng.bool()).collect();
        let single_target = (rng.u8(..3) != 0).then(|| rng.usize(..conversations.len()));
        let fillers = [0, 0, 105, 210][rng.usize(..4)];
        let backfill = Backfill {
            missing: rng.usize(1..=12),
            wrapped: [0, 2, 110][rng.usize(..3)],
        };

        // Codes of the first apply: some kept (maybe changed), some removed; then new ones.
        let before_count = rng.usize(3..=8);
        let before_codes: Vec<CodeSpec> = (0..before_count)
            .map(|i| CodeSpec {
                label: format!("c{i}"),
                name: format!("{NAME_PREFIX} {seed} code {i}"),
                description: rng.bool().then(|| format!("first {i}")),
            })
            .collect();
        // The first code is always kept: wrap-ups of the first apply use kept codes only.
        let kept: Vec<bool> = (0..before_count)
            .map(|i| i == 0 || rng.u8(..4) != 0)
            .collect();
        let mut after_codes = Vec::new();
        for (code, &keep) in before_codes.iter().zip(&kept) {
            if !keep {
                continue;
            }
            let mut code = code.clone();
            match rng.u8(..4) {
                0 => code.description = Some(format!("changed {}", code.label)),
                1 => code.description = None,
                _ => {}
            }
            after_codes.push(code);
        }
        for i in before_count..before_count + rng.usize(1..=8) {
            after_codes.push(CodeSpec {
                label: format!("c{i}"),
                name: format!("{NAME_PREFIX} {seed} code {i}"),
                description: rng.bool().then(|| format!("new {i}")),
            });
        }
        let kept_labels: Vec<String> = before_codes
            .iter()
            .zip(&kept)
            .filter(|(_, keep)| **keep)
            .map(|(code, _)| code.label.clone())
            .collect();
        let all_after: Vec<String> = after_codes.iter().map(|c| c.label.clone()).collect();

        // By ID only: a name is resolved at plan time, before the queue holds the code.
        let mut before_wrapups = Vec::new();
        let wrapped = |conversation: &usize| single_target != Some(*conversation);
        for conversation in (0..conversations.len()).filter(wrapped) {
            if rng.bool() {
                before_wrapups.push(WrapupSpec {
                    conversation,
                    code: kept_labels[rng.usize(..kept_labels.len())].clone(),
                    by_name: false,
                    notes: format!("first {conversation}"),
                    found: found[conversation],
                });
            }
        }
        let after_wrapups: Vec<WrapupSpec> = (0..conversations.len())
            .filter(wrapped)
            .map(|conversation| {
                // A code named by name must be on the queue when the plan resolves it: a kept one.
                let by_name = rng.bool();
                let pool = if by_name { &kept_labels } else { &all_after };
                WrapupSpec {
                    conversation,
                    code: pool[rng.usize(..pool.len())].clone(),
                    by_name,
                    notes: if rng.bool() {
                        format!("first {conversation}")
                    } else {
                        format!("second {conversation}")
                    },
                    found: found[conversation],
                }
            })
            .collect();
        // A code named by name is resolved at plan against the queue: a kept one.
        let single = single_target.map(|conversation| SingleAction {
            conversation,
            code: kept_labels[rng.usize(..kept_labels.len())].clone(),
            by_name: rng.bool(),
            notes: format!("action {seed}"),
        });
        let bulk = (rng.u8(..3) != 0).then(|| BulkAction {
            by_name: rng.bool(),
            notes: format!("bulk {seed}"),
        });
        let after_queue = rng.bool();
        let actions = |round| Actions {
            single: single.clone(),
            bulk: bulk.clone(),
            after_queue,
            round,
        };

        // A rough number of calls the faulty apply makes, to place the events within it.
        let span = (after_codes.len()
            + before_count
            + 4 * conversations.len()
            + 6
            + fillers / 100
            + if single.is_some() { 3 } else { 0 }
            + if bulk.is_some() {
                2 * backfill.missing + 2 + backfill.wrapped / 100
            } else {
                0
            }) as u64;
        let mut events: Vec<Event> = (0..rng.usize(1..=4))
            .map(|_| Event {
                after_calls: rng.u64(0..span),
                action: Action::Faults((0..rng.usize(1..=3)).map(|_| fault(&mut rng)).collect()),
            })
            .collect();
        if rng.u8(..3) == 0 {
            events.push(Event {
                after_calls: rng.u64(0..span),
                action: Action::ExpireTokens,
            });
        }
        match rng.u8(..4) {
            0 => events.push(Event {
                after_calls: rng.u64(1..span),
                action: Action::InterruptTerraform,
            }),
            1 => events.push(Event {
                after_calls: rng.u64(1..span),
                action: Action::InterruptGroup,
            }),
            _ => {}
        }
        events.sort_by_key(|e| e.after_calls);
        Schedule {
            seed,
            conversations,
            fillers,
            backfill,
            before: ConfigSpec {
                codes: before_codes,
                wrapups: before_wrapups,
                actions: actions("first"),
            },
            after: ConfigSpec {
                codes: after_codes,
                wrapups: after_wrapups,
                actions: actions("second"),
            },
            parallelism: rng.u32(2..=10),
            events,
        }
    }

    /// Whether the schedule interrupts Terraform.
    fn interrupts(&self) -> bool {
        self.events.iter().any(|e| {
            matches!(
                e.action,
                Action::InterruptTerraform | Action::InterruptGroup
            )
        })
    }
}

fn fault(rng: &mut fastrand::Rng) -> Fault {
    match rng.u8(..8) {
        0 => Fault::RateLimited {
            at: ROUTES[rng.usize(..ROUTES.len())],
            count: rng.u32(1..=3),
            retry_after: rng.u64(0..=1),
        },
        1 => Fault::Unavailable {
            at: ROUTES[rng.usize(..ROUTES.len())],
            status: [502, 503, 504][rng.usize(..3)],
            count: rng.u32(1..=2),
        },
        2 => Fault::Dropped {
            at: WRITES[rng.usize(..WRITES.len())],
            count: rng.u32(1..=2),
        },
        3 => Fault::SlowLink {
            ms: rng.u64(20..=300),
            jitter_ms: rng.u64(0..=400),
        },
        4 => Fault::Lag {
            ms: rng.u64(100..=1500),
            by_id: rng.bool(),
        },
        5 => Fault::AnalyticsLag {
            ms: rng.u64(500..=5000),
        },
        6 => {
            let (at, skip) = SECOND_CALLS[rng.usize(..SECOND_CALLS.len())];
            Fault::BetweenCalls { at, skip }
        }
        _ => Fault::LoginThrottled {
            count: rng.u32(1..=2),
        },
    }
}

/// How many wrap-up posts `fault` fails without performing them: a 5xx on a route a wrap-up
/// POST matches (a post is never retried on a 5xx; the re-post rule sends at most three).
fn fails_wrapup_posts(fault: &Fault) -> u64 {
    match fault {
        Fault::Unavailable { at, count, .. }
            if matches!(
                (at.method, at.path),
                ("*", "/api/v2/**") | ("POST", "/api/v2/conversations/**/wrapup")
            ) =>
        {
            u64::from(*count)
        }
        _ => 0,
    }
}

/// The emulator's fault configuration for a fault set.
fn faults_json(faults: &[Fault]) -> Value {
    let mut config = json!({ "rules": [], "drop_connections": [] });
    for fault in faults {
        match fault {
            Fault::RateLimited {
                at,
                count,
                retry_after,
            } => push(
                &mut config["rules"],
                json!({ "method": at.method, "path": at.path, "status": 429,
                        "retry_after": retry_after, "count": count }),
            ),
            Fault::Unavailable { at, status, count } => push(
                &mut config["rules"],
                json!({ "method": at.method, "path": at.path, "status": status, "count": count }),
            ),
            Fault::Dropped { at, count } => push(
                &mut config["drop_connections"],
                json!({ "method": at.method, "path": at.path, "count": count }),
            ),
            Fault::SlowLink { ms, jitter_ms } => {
                config["answer_latency_ms"] = json!(ms);
                config["answer_latency_jitter_ms"] = json!(jitter_ms);
            }
            Fault::Lag { ms, by_id } => {
                config["read_after_write_lag_ms"] = json!(ms);
                config["lag_get_by_id"] = json!(by_id);
            }
            Fault::LoginThrottled { count } => config["login_rate_limited"] = json!(count),
            Fault::AnalyticsLag { ms } => config["analytics_lag_ms"] = json!(ms),
            Fault::BetweenCalls { at, skip } => push(
                &mut config["rules"],
                json!({ "method": at.method, "path": at.path, "status": 500,
                        "skip": skip, "count": 1 }),
            ),
        }
    }
    config
}

fn push(list: &mut Value, item: Value) {
    if let Some(list) = list.as_array_mut() {
        list.push(item);
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "seed {} (replay: CHAOS_SEEDS={} scripts/chaos.sh), -parallelism={}",
            self.seed, self.seed, self.parallelism
        )?;
        writeln!(
            f,
            "  conversations: {:?}, {} fillers, back-fill queue {:?}",
            self.conversations, self.fillers, self.backfill
        )?;
        let actions = &self.after.actions;
        writeln!(
            f,
            "  actions (after the queues: {}): single {:?}, bulk {:?}",
            actions.after_queue, actions.single, actions.bulk
        )?;
        for (title, config) in [("first apply", &self.before), ("faulty apply", &self.after)] {
            let codes: Vec<String> = config
                .codes
                .iter()
                .map(|c| format!("{}={:?}/{:?}", c.label, c.name, c.description))
                .collect();
            let wrapups: Vec<String> = config
                .wrapups
                .iter()
                .map(|w| {
                    let by = if w.by_name { "name" } else { "id" };
                    let via = if w.found { ", found" } else { "" };
                    format!(
                        "conv{}<-{}(by {by}{via}, {:?})",
                        w.conversation, w.code, w.notes
                    )
                })
                .collect();
            writeln!(f, "  {title}: codes {}", codes.join(", "))?;
            writeln!(f, "  {title}: wrap-ups {}", wrapups.join(", "))?;
        }
        for event in &self.events {
            writeln!(f, "  after {} calls: {:?}", event.after_calls, event.action)?;
        }
        Ok(())
    }
}

/// The seeded world a schedule runs in.
struct World {
    org: Org,
    queue_id: String,
    /// (conversation, participant, communication) of each seeded conversation's agent.
    conversations: Vec<(String, String, String)>,
    /// (conversation, participant) of the queue's other conversations of the day.
    fillers: Vec<(String, String)>,
    /// The queue the bulk action back-fills.
    backfill_queue_id: String,
    /// (conversation, participant) of the back-fill queue's conversations without a wrap-up.
    backfill_missing: Vec<(String, String)>,
    /// ... and of those wrapped up before, with [`actions::EARLIER_CODE`].
    backfill_wrapped: Vec<(String, String)>,
}

/// A conversation of [`actions::DAY`] that started `minute` minutes after 08:00 and lasted 30 s.
fn day_conversation(media: &str, minute: usize, agent: Value) -> Value {
    let start = format!(
        "2026-11-30T{:02}:{:02}:00.000Z",
        8 + minute / 60,
        minute % 60
    );
    json!({
        "mediaType": media,
        "startTime": start,
        "endTime": start.replace(":00.000Z", ":30.000Z"),
        "participants": [{"purpose": "customer", "state": "disconnected"}, agent]
    })
}

/// Seeds many conversations in one request: (conversation, agent participant) of each.
fn bulk_seed(org: &Org, seeds: Vec<Value>) -> Vec<(String, String)> {
    if seeds.is_empty() {
        return Vec::new();
    }
    let (status, answer) = org.emulator.admin(
        Method::POST,
        "conversations/bulk",
        Some(Value::Array(seeds)),
    );
    assert_eq!(status, 201, "bulk seeding answered {status}: {answer}");
    answer["conversations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                text(&c["conversationId"]),
                text(&c["participants"][1]["participantId"]),
            )
        })
        .collect()
}

fn seed_queue(org: &Org, name: &str) -> String {
    let (status, queue) = org
        .emulator
        .admin(Method::POST, "queues", Some(json!({ "name": name })));
    assert_eq!(status, 201, "queue seeding answered {status}: {queue}");
    text(&queue["queueId"])
}

impl World {
    fn seed(schedule: &Schedule) -> World {
        let org = Org::start();
        let queue_id = seed_queue(&org, &format!("{NAME_PREFIX} queue"));
        let backfill_queue_id = seed_queue(&org, &format!("{NAME_PREFIX} back-fill queue"));
        let agent =
            |queue: &str| json!({"purpose": "agent", "state": "disconnected", "queueId": queue});
        let conversations = schedule
            .conversations
            .iter()
            .enumerate()
            .map(|(i, media)| {
                let (status, seeded) = org.emulator.admin(
                    Method::POST,
                    "conversations",
                    Some(day_conversation(media, i, agent(&queue_id))),
                );
                assert_eq!(status, 201, "seeding answered {status}: {seeded}");
                let agent = &seeded["participants"][1];
                (
                    text(&seeded["conversationId"]),
                    text(&agent["participantId"]),
                    text(&agent["communicationId"]),
                )
            })
            .collect();
        let fillers = bulk_seed(
            &org,
            (0..schedule.fillers)
                .map(|i| day_conversation("call", 10 + i, agent(&queue_id)))
                .collect(),
        );
        let start = 10 + schedule.fillers;
        let backfill_missing = bulk_seed(
            &org,
            (0..schedule.backfill.missing)
                .map(|i| day_conversation("call", start + i, agent(&backfill_queue_id)))
                .collect(),
        );
        let start = start + schedule.backfill.missing;
        let mut wrapped_agent = agent(&backfill_queue_id);
        wrapped_agent["wrapup"] =
            json!({ "code": actions::EARLIER_CODE, "notes": actions::EARLIER_NOTES });
        let backfill_wrapped = bulk_seed(
            &org,
            (0..schedule.backfill.wrapped)
                .map(|i| day_conversation("call", start + i, wrapped_agent.clone()))
                .collect(),
        );
        World {
            org,
            queue_id,
            conversations,
            fillers,
            backfill_queue_id,
            backfill_missing,
            backfill_wrapped,
        }
    }

    /// Every conversation of the listing's filter (the queue, the day).
    fn listed(&self) -> BTreeSet<String> {
        self.conversations
            .iter()
            .map(|(c, _, _)| c.clone())
            .chain(self.fillers.iter().map(|(c, _)| c.clone()))
            .collect()
    }

    /// The configuration's HCL.
    fn hcl(&self, config: &ConfigSpec) -> String {
        let mut hcl = String::new();
        for code in &config.codes {
            hcl += &format!(
                "resource \"genesyscloud_routing_wrapupcode\" \"{}\" {{\n  name = \"{}\"\n",
                code.label, code.name
            );
            if let Some(description) = &code.description {
                hcl += &format!("  description = \"{description}\"\n");
            }
            hcl += "}\n\n";
        }
        let ids: Vec<String> = config
            .codes
            .iter()
            .map(|c| format!("genesyscloud_routing_wrapupcode.{}.id", c.label))
            .collect();
        hcl += &format!(
            "resource \"genesyscloud_routing_queue_wrapupcodes\" \"q\" {{\n  queue_id        = \"{}\"\n  wrapup_code_ids = [{}]\n}}\n\n",
            self.queue_id,
            ids.join(", ")
        );
        for wrapup in config.wrapups.iter().filter(|w| !w.found) {
            let (conversation, _, _) = &self.conversations[wrapup.conversation];
            let code = if wrapup.by_name {
                let name = &config
                    .codes
                    .iter()
                    .find(|c| c.label == wrapup.code)
                    .expect("a wrap-up names a code of its configuration")
                    .name;
                format!("wrapup_code_name = \"{name}\"")
            } else {
                format!(
                    "wrapup_code_id   = genesyscloud_routing_wrapupcode.{}.id",
                    wrapup.code
                )
            };
            hcl += &format!(
                "resource \"genesyscloud_conversation_wrapup\" \"w{}\" {{\n  conversation_id  = \"{conversation}\"\n  {code}\n  notes            = \"{}\"\n  depends_on       = [genesyscloud_routing_queue_wrapupcodes.q]\n}}\n\n",
                wrapup.conversation, wrapup.notes
            );
        }
        hcl + &actions::hcl(self, config)
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The IDs state holds for the configuration's codes, by label.
fn state_code_ids(workdir: &Workdir) -> BTreeMap<String, String> {
    state_codes(&workdir.show_state_json())
        .into_iter()
        .filter_map(|(address, values)| {
            address
                .strip_prefix("genesyscloud_routing_wrapupcode.")
                .map(|label| (label.to_owned(), text(&values["id"])))
        })
        .collect()
}

/// What one seed's run ended with.
struct Outcome {
    faulty_status: i32,
    interrupted: bool,
    fired: Vec<String>,
    violations: Vec<String>,
    calls: u64,
    /// Wrap-up writes performed by the faulty apply, the clean apply and the clean invocations.
    writes: [u64; 3],
    /// Terraform's own panic on an action's event stream (see [`TERRAFORM_ACTION_PANIC`]),
    /// with the faulty apply's output: its state is lost, so no invariant can be checked.
    upstream_crash: Option<String>,
}

/// Terraform 1.14–1.15's panic when an action sends an event after a progress message that
/// Terraform received while stopping: its `GRPCProvider.InvokeAction` iterator ignores
/// `yield`'s result (hashicorp/terraform, `internal/plugin6/grpc_provider.go`). The provider
/// sends no progress once it is told to stop, but a message already on its way when the
/// interrupt lands still meets it. A crashed apply records no state, so the seed's invariants
/// cannot hold; such a seed is counted apart, not as a violation.
const TERRAFORM_ACTION_PANIC: &str =
    "range function continued iteration after function for loop body returned false";

/// Runs one seed's schedule and checks the invariants.
fn run(schedule: &Schedule) -> Outcome {
    let world = World::seed(schedule);
    let org = &world.org;
    let workdir = org.workdir();

    workdir.config(&world.hcl(&schedule.before));
    workdir.apply();

    workdir.config(&world.hcl(&schedule.after));
    let before_faulty = actions::wrapup_writes(org);
    let start = total_calls(org);
    let parallelism = format!("-parallelism={}", schedule.parallelism);
    let mut running = workdir.spawn(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        &parallelism,
    ]);
    let mut fired = Vec::new();
    let mut pending = schedule.events.iter().peekable();
    let mut interrupted = false;
    let mut fails_a_call = false;
    let mut post_failures = 0;
    while running.is_running() {
        let calls = total_calls(org) - start;
        while let Some(event) = pending.next_if(|e| e.after_calls <= calls) {
            fire(org, &running, &event.action);
            interrupted |= matches!(
                event.action,
                Action::InterruptTerraform | Action::InterruptGroup
            );
            fails_a_call |= matches!(&event.action, Action::Faults(faults)
                if faults.iter().any(|f| matches!(f, Fault::BetweenCalls { .. })));
            if let Action::Faults(faults) = &event.action {
                post_failures += faults.iter().map(fails_wrapup_posts).sum::<u64>();
            }
            fired.push(format!("{:?} at call {calls}", event.action));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let faulty = running.wait();
    let calls = total_calls(org) - start;
    clear_faults(org);

    if faulty.combined().contains(TERRAFORM_ACTION_PANIC) {
        return Outcome {
            faulty_status: faulty.status,
            interrupted,
            fired,
            violations: Vec::new(),
            calls,
            writes: [0; 3],
            upstream_crash: Some(brief(&faulty)),
        };
    }
    let mut violations = Vec::new();
    if faulty.combined().contains("TERRAFORM CRASH") {
        violations.push(format!(
            "Terraform crashed in the faulty apply:\n{}",
            brief(&faulty)
        ));
    }
    // A failure between the calls of one write is meant to fail the apply (a 500 is not
    // retried); the invariants below still hold for it.
    // So is a wrap-up write whose every post (at most three) met a 5xx, which is never retried
    // (the outcome is unknown): seed 113 met a 504 and two 502s on one write.
    let printed = faulty.combined();
    let failed_as_scheduled = (fails_a_call && printed.contains("HTTP 500"))
        || (post_failures >= actions::MOST_POSTS
            && (printed.contains("Could not post the wrap-up")
                || printed.contains("Back-fill finished with")));
    if !interrupted && !failed_as_scheduled && !faulty.success() {
        violations.push(format!(
            "the faulty apply failed without an interrupt (every fault is within the retry \
             budget):\n{}",
            brief(&faulty)
        ));
    }
    let orphans = orphans(org, &workdir);
    if !orphans.is_empty() {
        violations.push(format!(
            "after the faulty apply, codes on the platform that state does not know: \
             {orphans:?}\n{}",
            brief(&faulty)
        ));
    }

    let listing = actions::listing_violations(
        &workdir.show_state_json(),
        &world.listed(),
        faulty.success(),
    );
    violations.extend(
        listing
            .into_iter()
            .map(|v| format!("after the faulty apply, {v}")),
    );
    let after_faulty = actions::wrapup_writes(org);
    let total = |writes: &actions::Writes| writes.values().sum::<u64>();
    let mut writes = [total(&after_faulty) - total(&before_faulty), 0, 0];

    let clean = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    if !clean.success() {
        violations.push(format!("the clean apply failed:\n{}", brief(&clean)));
    } else {
        let after_clean = actions::wrapup_writes(org);
        let config = &schedule.after;
        let code_ids = state_code_ids(&workdir);
        let held_before_invoke = code_ids
            .get("c0")
            .map(|c0| actions::holding(&world, c0))
            .unwrap_or_default();
        let mut bulk_printed = None;
        let mut invoked_ok = true;
        for address in config.actions.addresses() {
            let invoke = format!("-invoke={address}");
            let output = workdir.run(&[
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                &invoke,
            ]);
            if !output.success() || output.combined().contains("TERRAFORM CRASH") {
                invoked_ok = false;
                violations.push(format!(
                    "the clean invocation of {address} failed:\n{}",
                    brief(&output)
                ));
            }
            if address == actions::BULK {
                bulk_printed = Some(output.combined());
            }
        }
        let invoked = actions::wrapup_writes(org);
        writes[1] = total(&after_clean) - total(&after_faulty);
        writes[2] = total(&invoked) - total(&after_clean);
        violations.extend(platform_equals_state(&world, config, &workdir));
        if invoked_ok {
            violations.extend(actions::action_violations(
                &world,
                config,
                &code_ids,
                &actions::ActionRuns {
                    faulty: &actions::writes_between(&before_faulty, &after_faulty),
                    clean_apply: &actions::writes_between(&after_faulty, &after_clean),
                    invoked: &actions::writes_between(&after_clean, &invoked),
                    faulty_printed: &faulty.combined(),
                    bulk_printed: bulk_printed.as_deref(),
                    held_before_invoke: &held_before_invoke,
                },
            ));
        }
        let plan = workdir.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        if plan.status != 0 {
            violations.push(format!(
                "the plan after the clean apply exits {}:\n{}",
                plan.status,
                brief(&plan)
            ));
        }
    }
    Outcome {
        faulty_status: faulty.status,
        interrupted,
        fired,
        violations,
        calls,
        writes,
        upstream_crash: None,
    }
}

/// A command's exit code, the last lines of its output and its errors, for a report.
fn brief(output: &crate::support::Output) -> String {
    let stdout: Vec<&str> = output
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let tail = stdout[stdout.len().saturating_sub(12)..].join("\n      ");
    let stderr: Vec<&str> = output
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    format!(
        "      terraform {} exited {}\n      {tail}\n      --- stderr ---\n      {}",
        output.args.join(" "),
        output.status,
        stderr[..stderr.len().min(40)].join("\n      ")
    )
}

fn total_calls(org: &Org) -> u64 {
    org.requests()["total"].as_u64().unwrap_or(0)
}

fn clear_faults(org: &Org) {
    let (status, answer) = org.emulator.admin(Method::DELETE, "faults", None);
    assert!(status < 300, "clearing faults answered {status}: {answer}");
}

fn fire(org: &Org, running: &Running, action: &Action) {
    match action {
        Action::Faults(faults) => org.faults(faults_json(faults)),
        Action::ExpireTokens => {
            let (status, answer) = org.emulator.admin(Method::POST, "tokens/expire", None);
            assert!(status < 300, "expiring tokens answered {status}: {answer}");
        }
        Action::InterruptTerraform => running.signal(Signal::Interrupt),
        Action::InterruptGroup => running.signal_group(Signal::Interrupt),
    }
}

/// The IDs of codes on the platform that state does not hold.
fn orphans(org: &Org, workdir: &Workdir) -> Vec<String> {
    let state: BTreeSet<String> = state_codes(&workdir.show_state_json())
        .into_iter()
        .map(|(_, values)| text(&values["id"]))
        .collect();
    org.codes()
        .iter()
        .map(|code| text(&code["id"]))
        .filter(|id| !state.contains(id))
        .collect()
}

/// Managed resources of `type_name` in `terraform show -json` state, by address.
fn state_resources(state: &Value, type_name: &str) -> BTreeMap<String, Value> {
    state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == type_name && r["mode"] == "managed")
        .map(|r| (text(&r["address"]), r["values"].clone()))
        .collect()
}

/// The platform, state and the configuration agree: every configured code exists once with its
/// configured name and description, and no other; the queue holds exactly them; every wrap-up
/// holds its configured code and notes; state records each of these as the platform has it.
fn platform_equals_state(world: &World, config: &ConfigSpec, workdir: &Workdir) -> Vec<String> {
    let org = &world.org;
    let mut violations = Vec::new();
    let state = workdir.show_state_json();

    let platform: Vec<Value> = org.codes();
    let by_id: BTreeMap<String, &Value> = platform.iter().map(|c| (text(&c["id"]), c)).collect();
    let mut names = BTreeMap::<String, usize>::new();
    for code in &platform {
        *names.entry(text(&code["name"]).to_lowercase()).or_default() += 1;
    }
    for (name, count) in &names {
        if *count > 1 {
            violations.push(format!("{count} codes on the platform are named {name:?}"));
        }
    }
    let state_codes: BTreeMap<String, Value> = state_codes(&state).into_iter().collect();
    let mut code_ids = BTreeMap::new();
    for code in &config.codes {
        let address = format!("genesyscloud_routing_wrapupcode.{}", code.label);
        let Some(values) = state_codes.get(&address) else {
            violations.push(format!("{address} is missing from state"));
            continue;
        };
        let id = text(&values["id"]);
        code_ids.insert(code.label.clone(), id.clone());
        let Some(held) = by_id.get(&id) else {
            violations.push(format!(
                "{address} ({id}) is in state but not on the platform"
            ));
            continue;
        };
        if held["name"] != code.name.as_str() || values["name"] != code.name.as_str() {
            violations.push(format!(
                "{address}: configured name {:?}, platform {}, state {}",
                code.name, held["name"], values["name"]
            ));
        }
        let held_description = held["description"].as_str().unwrap_or_default();
        let configured = code.description.as_deref().unwrap_or_default();
        if held_description != configured {
            violations.push(format!(
                "{address}: configured description {configured:?}, platform {held_description:?}"
            ));
        }
    }
    if state_codes.len() != config.codes.len() {
        violations.push(format!(
            "state holds {} codes, the configuration {}: {:?}",
            state_codes.len(),
            config.codes.len(),
            state_codes.keys().collect::<Vec<_>>()
        ));
    }
    let configured_ids: BTreeSet<String> = code_ids.values().cloned().collect();
    let platform_ids: BTreeSet<String> = by_id.keys().cloned().collect();
    if platform_ids != configured_ids {
        violations.push(format!(
            "the platform holds codes {:?} not in the configuration and lacks {:?}",
            platform_ids.difference(&configured_ids).collect::<Vec<_>>(),
            configured_ids.difference(&platform_ids).collect::<Vec<_>>()
        ));
    }

    let held = queue_codes(org, &world.queue_id);
    if held != configured_ids {
        violations.push(format!(
            "the queue holds {held:?}, the configuration {configured_ids:?}"
        ));
    }
    if let Some(c0) = code_ids.get("c0") {
        let held = queue_codes(org, &world.backfill_queue_id);
        if held != BTreeSet::from([c0.clone()]) {
            violations.push(format!(
                "the back-fill queue holds {held:?}, the configuration {{{c0}}}"
            ));
        }
    }
    let queue_state = state_resources(&state, "genesyscloud_routing_queue_wrapupcodes");
    let state_queue_ids: BTreeSet<String> = queue_state
        .get("genesyscloud_routing_queue_wrapupcodes.q")
        .and_then(|q| q["wrapup_code_ids"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(text)
        .collect();
    if state_queue_ids != configured_ids {
        violations.push(format!(
            "state's queue codes are {state_queue_ids:?}, the configuration's {configured_ids:?}"
        ));
    }

    let wrapup_state = state_resources(&state, "genesyscloud_conversation_wrapup");
    for wrapup in &config.wrapups {
        let (conversation, participant, _) = &world.conversations[wrapup.conversation];
        let address = if wrapup.found {
            format!("genesyscloud_conversation_wrapup.found[\"{participant}\"]")
        } else {
            format!("genesyscloud_conversation_wrapup.w{}", wrapup.conversation)
        };
        let expected = code_ids.get(&wrapup.code).cloned().unwrap_or_default();
        let (status, held) = org.emulator.api(
            Method::GET,
            &format!("conversations/{conversation}/participants/{participant}/wrapup"),
            None,
        );
        if status != 200 || held["code"] != expected.as_str() || held["notes"] != wrapup.notes {
            violations.push(format!(
                "{address}: the platform answers {status} {held}, the configuration wants code \
                 {expected} with notes {:?}",
                wrapup.notes
            ));
        }
        match wrapup_state.get(&address) {
            Some(values) if values["wrapup_code_id"] == expected.as_str() => {}
            other => violations.push(format!(
                "{address}: state holds {other:?}, the configuration wants code {expected}"
            )),
        }
    }
    if wrapup_state.len() != config.wrapups.len() {
        violations.push(format!(
            "state holds {} wrap-ups, the configuration {}",
            wrapup_state.len(),
            config.wrapups.len()
        ));
    }
    violations
}

fn queue_codes(org: &Org, queue_id: &str) -> BTreeSet<String> {
    let (status, page) = org.emulator.api(
        Method::GET,
        &format!("routing/queues/{queue_id}/wrapupcodes?pageSize=500"),
        None,
    );
    assert_eq!(status, 200, "queue codes answered {status}: {page}");
    page["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| text(&c["id"]))
        .collect()
}

/// The seeds to run: `CHAOS_SEEDS` (`1,2,7-9`), else `CHAOS_SEED_COUNT` (1..=N), else
/// [`DEFAULT_SEEDS`].
fn seeds() -> Vec<u64> {
    if let Ok(list) = std::env::var("CHAOS_SEEDS")
        && !list.trim().is_empty()
    {
        return parse_seeds(&list).unwrap_or_else(|bad| panic!("CHAOS_SEEDS: {bad}"));
    }
    if let Ok(count) = std::env::var("CHAOS_SEED_COUNT")
        && !count.trim().is_empty()
    {
        let count: u64 = count
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("CHAOS_SEED_COUNT={count:?} is not a number"));
        return (1..=count).collect();
    }
    DEFAULT_SEEDS.to_vec()
}

fn parse_seeds(list: &str) -> Result<Vec<u64>, String> {
    let number = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("{s:?} is not a seed"))
    };
    let mut seeds = Vec::new();
    for part in list.split(',').filter(|p| !p.trim().is_empty()) {
        match part.split_once('-') {
            Some((from, to)) => seeds.extend(number(from)?..=number(to)?),
            None => seeds.push(number(part)?),
        }
    }
    Ok(seeds)
}

#[test]
fn every_seed_leaves_the_platform_equal_to_state_and_an_empty_plan() {
    let seeds = seeds();
    let mut failures = Vec::new();
    let mut crashes = Vec::new();
    let started = Instant::now();
    for &seed in &seeds {
        let schedule = Schedule::from_seed(seed);
        let began = Instant::now();
        let outcome = run(&schedule);
        eprintln!(
            "chaos seed {seed}: {} — faulty apply exited {}{}, {} calls, wrap-up writes \
             {:?} (faulty, clean, invoked), fired [{}], {:.1}s",
            if outcome.upstream_crash.is_some() {
                "TERRAFORM CRASHED (upstream bug, not checked)".to_owned()
            } else if outcome.violations.is_empty() {
                "ok".to_owned()
            } else {
                format!("{} VIOLATION(S)", outcome.violations.len())
            },
            outcome.faulty_status,
            if outcome.interrupted {
                " (interrupted)"
            } else {
                ""
            },
            outcome.calls,
            outcome.writes,
            outcome.fired.join("; "),
            began.elapsed().as_secs_f64()
        );
        if let Some(crash) = &outcome.upstream_crash {
            eprintln!("{schedule}  Terraform crashed:\n{crash}");
            crashes.push(seed);
        }
        if !outcome.violations.is_empty() {
            let report = format!(
                "{schedule}  violations:\n    {}",
                outcome.violations.join("\n    ")
            );
            eprintln!("{report}");
            failures.push(report);
        }
    }
    eprintln!(
        "chaos: {} seeds, {} with violations, {} where Terraform crashed on an action's \
         events (upstream bug) {crashes:?}, {:.0}s",
        seeds.len(),
        failures.len(),
        crashes.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} seeds broke an invariant:\n{}",
        failures.len(),
        seeds.len(),
        failures.join("\n")
    );
}

#[test]
fn a_seed_replays_its_schedule_and_seeds_differ() {
    for seed in 0..200 {
        assert_eq!(Schedule::from_seed(seed), Schedule::from_seed(seed));
    }
    let distinct: BTreeSet<String> = (0..50)
        .map(|seed| format!("{:?}", Schedule::from_seed(seed).events))
        .collect();
    assert!(distinct.len() > 45, "schedules vary with the seed");
    let interrupting = (0..200)
        .filter(|&seed| Schedule::from_seed(seed).interrupts())
        .count();
    assert!(
        (50..150).contains(&interrupting),
        "about half the seeds interrupt ({interrupting} of 200)"
    );
    assert_eq!(parse_seeds("1,3-5, 9"), Ok(vec![1, 3, 4, 5, 9]));
    assert!(parse_seeds("x").is_err());
}

/// The invariant checks can fail: a code made outside Terraform, a wrap-up changed outside and
/// a queue code removed outside are each reported.
#[test]
fn the_checks_report_an_orphan_a_changed_wrapup_and_a_missing_queue_code() {
    let schedule = Schedule::from_seed(1);
    let world = World::seed(&schedule);
    let org = &world.org;
    let workdir = org.workdir();
    workdir.config(&world.hcl(&schedule.before));
    workdir.apply();
    workdir.config(&world.hcl(&schedule.after));
    workdir.apply();
    assert_eq!(
        platform_equals_state(&world, &schedule.after, &workdir),
        Vec::<String>::new()
    );
    assert!(orphans(org, &workdir).is_empty());

    let orphan = org.create_code(&format!("{NAME_PREFIX} orphan"), None);
    assert_eq!(orphans(org, &workdir), vec![orphan.clone()]);
    // A wrap-up of the configuration (named by conversation or found through the listing).
    let wrapup = &schedule.after.wrapups[0];
    let (conversation, participant, communication) = &world.conversations[wrapup.conversation];
    let (status, _) = org.emulator.admin(
        Method::PUT,
        &format!("queues/{}/wrapupcodes", world.queue_id),
        Some(json!([orphan])),
    );
    assert!(status < 300);
    let violations = platform_equals_state(&world, &schedule.after, &workdir).join("\n");
    assert!(violations.contains(&orphan), "{violations}");
    assert!(violations.contains("the queue holds"), "{violations}");
    let (status, answer) = org.emulator.api(
        Method::POST,
        &format!(
            "conversations/{}/{conversation}/participants/{participant}/communications/{communication}/wrapup",
            media_path(schedule.conversations[wrapup.conversation])
        ),
        Some(json!({ "code": orphan, "notes": "outside" })),
    );
    assert!(status < 300, "{answer}");
    let violations = platform_equals_state(&world, &schedule.after, &workdir).join("\n");
    let address = if wrapup.found {
        format!("genesyscloud_conversation_wrapup.found[\"{participant}\"]")
    } else {
        format!("genesyscloud_conversation_wrapup.w{}", wrapup.conversation)
    };
    assert!(violations.contains(&address), "{violations}");
}

fn media_path(media: &str) -> &'static str {
    match media {
        "call" => "calls",
        "email" => "emails",
        "message" => "messages",
        "callback" => "callbacks",
        other => panic!("no media path for {other}"),
    }
}

// Regressions the seeds found, each reproduced directly.

/// Seeds 7 and 9: the queue's codes are planned again during apply, moments after the codes
/// were created, while the platform's listing does not show them yet. The provider read the
/// listing alone and failed with "Unknown wrap-up code"; a code the listing leaves out is now
/// read by ID before it counts as unknown.
#[test]
fn codes_created_in_the_same_apply_are_assigned_to_a_queue_while_listings_lag() {
    let world = World::seed(&Schedule::from_seed(1));
    let workdir = world.org.workdir();
    let config = ConfigSpec {
        codes: (0..3)
            .map(|i| CodeSpec {
                label: format!("c{i}"),
                name: format!("{NAME_PREFIX} lagging {i}"),
                description: None,
            })
            .collect(),
        ..ConfigSpec::default()
    };
    workdir.config(&world.hcl(&config));
    world.org.faults(json!({ "read_after_write_lag_ms": 1500 }));
    let output = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    output.assert_success();
    clear_faults(&world.org);
    assert_eq!(
        platform_equals_state(&world, &config, &workdir),
        Vec::<String>::new()
    );
    workdir.plan_is_empty();
}

/// Seed 5: an interrupted apply created a code but not yet its queue assignment. The next
/// apply assigns it and applies a wrap-up with it (by ID, after the assignment), but the plan
/// refused the wrap-up because the code was not on the queue yet, so no apply could finish.
/// The plan now warns and the apply checks again; a code nothing assigns still fails, at
/// apply, on `wrapup_code_id`.
/// Applies `spec`, whose wrap-up uses a code only this apply puts on the queue: the plan warns,
/// the apply succeeds, the platform equals state and the next plan is empty.
fn apply_warns_and_settles(world: &World, workdir: &Workdir, spec: &ConfigSpec) {
    workdir.config(&world.hcl(spec));
    let output = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    output.assert_success();
    assert!(
        output
            .combined()
            .contains("Wrap-up code not valid for this participant"),
        "the plan warns: {output}"
    );
    assert_eq!(
        platform_equals_state(world, spec, workdir),
        Vec::<String>::new()
    );
    workdir.plan_is_empty();
}

#[test]
fn a_wrapup_by_id_with_a_code_the_same_apply_assigns_to_the_queue_plans_and_applies() {
    let world = World::seed(&Schedule::from_seed(1));
    let org = &world.org;
    let workdir = org.workdir();
    let first = ConfigSpec {
        codes: vec![CodeSpec {
            label: "c0".into(),
            name: format!("{NAME_PREFIX} on the queue"),
            description: None,
        }],
        ..ConfigSpec::default()
    };
    workdir.config(&world.hcl(&first));
    workdir.apply();
    // The second code exists (as after an interrupted apply) but no queue holds it.
    let mut second = first.clone();
    second.codes.push(CodeSpec {
        label: "c1".into(),
        name: format!("{NAME_PREFIX} not yet on the queue"),
        description: None,
    });
    let loose = org.create_code(&second.codes[1].name, None);
    workdir.config(&world.hcl(&second));
    workdir.import("genesyscloud_routing_wrapupcode.c1", &loose);
    second.wrapups.push(WrapupSpec {
        conversation: 0,
        code: "c1".into(),
        by_name: false,
        notes: "assigned in the same apply".into(),
        found: false,
    });
    apply_warns_and_settles(&world, &workdir, &second);

    // An existing wrap-up switched to another such code plans and applies the same way
    // (seed 16: the update path refused it at plan, so no apply could finish).
    let mut third = second.clone();
    third.codes.push(CodeSpec {
        label: "c2".into(),
        name: format!("{NAME_PREFIX} switched to"),
        description: None,
    });
    let switched = org.create_code(&third.codes[2].name, None);
    workdir.config(&world.hcl(&ConfigSpec {
        wrapups: second.wrapups.clone(),
        ..third.clone()
    }));
    workdir.import("genesyscloud_routing_wrapupcode.c2", &switched);
    third.wrapups[0].code = "c2".into();
    apply_warns_and_settles(&world, &workdir, &third);

    // A code that nothing assigns still fails, at apply, on the attribute.
    let stray = org.create_code(&format!("{NAME_PREFIX} stray"), None);
    let (conversation, _, _) = &world.conversations[1];
    workdir.config(&format!(
        "{}resource \"genesyscloud_conversation_wrapup\" \"stray\" {{\n  conversation_id = \"{conversation}\"\n  wrapup_code_id  = \"{stray}\"\n}}\n",
        world.hcl(&third)
    ));
    workdir.expect_error(
        &["apply"],
        "is not among the codes valid for participant",
        Some("wrapup_code_id"),
    );
}

/// Writes a wrap-up outside Terraform, through the participant PATCH.
fn write_outside(org: &Org, media: &str, conversation: &str, participant: &str, code: &str) {
    let (status, answer) = org.emulator.api(
        Method::PATCH,
        &format!(
            "conversations/{}/{conversation}/participants/{participant}",
            media_path(media)
        ),
        Some(json!({ "wrapup": { "code": code, "notes": "outside" } })),
    );
    assert!(
        status < 300,
        "the outside write answered {status}: {answer}"
    );
}

/// The checks of the listing and the actions can fail: a listing that misses a conversation of
/// its filter, a summary that disagrees with the writes, a participant written twice in a
/// clean run, a write outside the targets and a changed action target are each reported.
#[test]
fn the_checks_report_a_half_read_listing_a_repeated_or_stray_write_and_a_wrong_summary() {
    let schedule = (1..)
        .map(Schedule::from_seed)
        .find(|s| {
            let actions = &s.after.actions;
            actions.single.is_some()
                && actions.bulk.is_some()
                && s.after.wrapups.iter().any(|w| w.found)
                && s.backfill.wrapped > 0
                && s.fillers > 100
        })
        .expect("some seed has every part");
    let world = World::seed(&schedule);
    let org = &world.org;
    let workdir = org.workdir();
    workdir.config(&world.hcl(&schedule.before));
    workdir.apply();
    workdir.config(&world.hcl(&schedule.after));
    let first = actions::wrapup_writes(org);
    // The trigger fires both actions within the apply.
    let applied = workdir.apply();
    let printed = applied.combined();
    assert!(
        actions::Summary::last_in(&printed)
            .is_some_and(|s| s.written == schedule.backfill.missing as u64),
        "the bulk action ran in the apply: {applied}"
    );
    let applied_writes = actions::wrapup_writes(org);
    let state = workdir.show_state_json();
    assert_eq!(
        actions::listing_violations(&state, &world.listed(), true),
        Vec::<String>::new()
    );
    let code_ids = state_code_ids(&workdir);
    let held = actions::holding(&world, &code_ids["c0"]);
    assert_eq!(held.len(), schedule.backfill.missing);
    let mut bulk_printed = String::new();
    for address in [actions::SINGLE, actions::BULK] {
        let output = workdir.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            &format!("-invoke={address}"),
        ]);
        output.assert_success();
        bulk_printed = output.combined();
    }
    let invoked_writes = actions::wrapup_writes(org);
    let config = &schedule.after;
    let check = |invoked: &actions::Writes, bulk_printed: &str| {
        let mut violations = platform_equals_state(&world, config, &workdir);
        violations.extend(actions::action_violations(
            &world,
            config,
            &code_ids,
            &actions::ActionRuns {
                faulty: &actions::writes_between(&first, &applied_writes),
                clean_apply: &actions::Writes::new(),
                invoked,
                faulty_printed: &printed,
                bulk_printed: Some(bulk_printed),
                held_before_invoke: &held,
            },
        ));
        violations.join("\n")
    };
    let invoked = actions::writes_between(&applied_writes, &invoked_writes);
    assert_eq!(check(&invoked, &bulk_printed), "");
    workdir.plan_is_empty();

    // A listing that misses a conversation of its filter, or is not in state after a success.
    let (status, extra) = org.emulator.admin(
        Method::POST,
        "conversations",
        Some(day_conversation(
            "call",
            0,
            json!({"purpose": "agent", "state": "disconnected", "queueId": world.queue_id}),
        )),
    );
    assert_eq!(status, 201, "{extra}");
    let mut filter = world.listed();
    filter.insert(text(&extra["conversationId"]));
    let reported = actions::listing_violations(&state, &filter, false).join("\n");
    assert!(
        reported.contains(&text(&extra["conversationId"])),
        "{reported}"
    );
    assert!(!actions::listing_violations(&json!({}), &filter, true).is_empty());

    // A summary that does not count what was written.
    let wrong = "Back-fill of x finished: 1 written and verified, 0 skipped (0 already wrapped \
                 up, 0 without after-call work), 0 refused, 0 failed.";
    let reported = check(&invoked, wrong);
    assert!(
        reported.contains("the clean back-fill's summary"),
        "{reported}"
    );

    // A back-fill target written twice in the clean run (it held the code: none was due).
    let (target_conversation, target) = &world.backfill_missing[0];
    for _ in 0..2 {
        write_outside(org, "call", target_conversation, target, &code_ids["c0"]);
    }
    let twice = actions::writes_between(&applied_writes, &actions::wrapup_writes(org));
    let reported = check(&twice, &bulk_printed);
    assert!(
        reported.contains(&format!("participant {target}'s wrap-up 2 times")),
        "{reported}"
    );
    assert!(
        reported.contains(&format!("back-fill target {target} holds")),
        "{reported}"
    );

    // A write outside every target: a pre-wrapped participant of the back-fill queue.
    let (wrapped_conversation, wrapped) = &world.backfill_wrapped[0];
    write_outside(org, "call", wrapped_conversation, wrapped, &code_ids["c0"]);
    let stray = actions::writes_between(&applied_writes, &actions::wrapup_writes(org));
    let reported = check(&stray, &bulk_printed);
    assert!(
        reported.contains("wrote participants no wrap-up or action targets"),
        "{reported}"
    );
    assert!(
        reported.contains(&format!("pre-wrapped participant {wrapped}")),
        "{reported}"
    );

    // The single action's participant changed afterwards.
    let single = config
        .actions
        .single
        .as_ref()
        .expect("the seed has a single action");
    let (conversation, participant, _) = &world.conversations[single.conversation];
    write_outside(
        org,
        schedule.conversations[single.conversation],
        conversation,
        participant,
        &code_ids[&single.code],
    );
    let reported = check(&invoked, &bulk_printed);
    assert!(
        reported.contains("the single action's participant"),
        "{reported}"
    );
}

/// Seed 12 (issue 23's 200 seeds): the single action, fired as the apply starts, read the
/// queue's codes while a 429 held back the queue's assignment (here: a 3 s `local-exec` before
/// the new code); the queue resource then assigned a code created in the same apply, and a
/// wrap-up given that code by ID failed at apply, "not among the codes valid for participant":
/// the provider read the queue's codes once per process and checked the code against that
/// first read. A code given by ID that the read lacks is now checked against a fresh read.
#[test]
fn a_wrapup_by_id_with_a_code_assigned_after_an_action_read_the_queue_applies() {
    let world = World::seed(&Schedule::from_seed(1));
    let workdir = world.org.workdir();
    let (first, _, _) = &world.conversations[0];
    let (second, _, _) = &world.conversations[1];
    let config = |round: u32| {
        let mut hcl = format!(
            "resource \"genesyscloud_routing_wrapupcode\" \"old\" {{\n  name = \"{NAME_PREFIX} memo old\"\n}}\n\n\
             action \"genesyscloud_conversation_wrapup\" \"single\" {{\n  config {{\n    conversation_id  = \"{first}\"\n    wrapup_code_name = \"{NAME_PREFIX} memo old\"\n  }}\n}}\n\n\
             resource \"terraform_data\" \"trigger\" {{\n  input = \"{round}\"\n  lifecycle {{\n    action_trigger {{\n      events  = [after_update]\n      actions = [action.genesyscloud_conversation_wrapup.single]\n    }}\n  }}\n}}\n\n"
        );
        let codes = if round == 1 {
            "genesyscloud_routing_wrapupcode.old.id".to_owned()
        } else {
            hcl += &format!(
                "resource \"terraform_data\" \"delay\" {{\n  provisioner \"local-exec\" {{\n    command = \"sleep 3\"\n  }}\n}}\n\n\
                 resource \"genesyscloud_routing_wrapupcode\" \"new\" {{\n  name       = \"{NAME_PREFIX} memo new\"\n  depends_on = [terraform_data.delay]\n}}\n\n\
                 resource \"genesyscloud_conversation_wrapup\" \"w\" {{\n  conversation_id = \"{second}\"\n  wrapup_code_id  = genesyscloud_routing_wrapupcode.new.id\n  depends_on      = [genesyscloud_routing_queue_wrapupcodes.q]\n}}\n\n"
            );
            "genesyscloud_routing_wrapupcode.old.id, genesyscloud_routing_wrapupcode.new.id"
                .to_owned()
        };
        hcl + &format!(
            "resource \"genesyscloud_routing_queue_wrapupcodes\" \"q\" {{\n  queue_id        = \"{}\"\n  wrapup_code_ids = [{codes}]\n}}\n",
            world.queue_id
        )
    };
    workdir.config(&config(1));
    workdir.apply();
    workdir.config(&config(2));
    let output = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    output.assert_success();
    assert!(
        output.combined().contains("Resolved participant"),
        "the action ran in the apply: {output}"
    );
    workdir.plan_is_empty();
}
