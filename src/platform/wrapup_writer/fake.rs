//! An in-memory [`ConversationApi`] for unit tests: one conversation, its queue's codes, and a
//! switch that makes wrap-up writes succeed without being kept.

use std::sync::Mutex;

use async_trait::async_trait;

use super::request::{CodeChoice, CodeGivenBy, DesiredWrapup, TargetChoice};
use crate::platform::ConversationApi;
use crate::platform::{ApiFailure, PlatformError};
use genesys_client::MediaType;
use genesys_client::models::{AssignedWrapupCode, Conversation, Wrapup, WrapupBody, WrapupCode};

pub const CONV: &str = "11111111-1111-4111-8111-111111111111";
pub const CUSTOMER: &str = "22222222-2222-4222-8222-222222222222";
pub const AGENT: &str = "33333333-3333-4333-8333-333333333333";
pub const AGENT_CALL: &str = "44444444-4444-4444-8444-444444444444";
pub const SALE: &str = "55555555-5555-4555-8555-555555555555";
pub const NO_SALE: &str = "66666666-6666-4666-8666-666666666666";
pub const QUEUE: &str = "77777777-7777-4777-8777-777777777777";

/// A wrap-up of [`CONV`], its participant and communication left to resolution, with the code
/// given as `id` or `name` (whichever is set; the name when both are) and notes
/// `"back-filled"`.
pub fn desired(id: Option<&str>, name: Option<&str>) -> DesiredWrapup {
    DesiredWrapup {
        target: TargetChoice {
            conversation_id: CONV.into(),
            participant_id: None,
            communication_id: None,
        },
        code: CodeChoice {
            id: id.map(str::to_owned),
            name: name.map(str::to_owned),
            configured: if name.is_some() {
                CodeGivenBy::Name
            } else {
                CodeGivenBy::Id
            },
        },
        notes: Some("back-filled".into()),
        tags: None,
        duration_seconds: None,
    }
}

/// A platform holding one call conversation: a customer and an agent whose call ended.
pub struct FakePlatform {
    pub conversation: Mutex<Option<Conversation>>,
    pub codes: Vec<WrapupCode>,
    pub ignore_writes: bool,
    /// Whether wrap-ups carry an `endTime` (each kept write moves it).
    pub end_times: bool,
    pub posts: Mutex<Vec<(MediaType, String, WrapupBody)>>,
    /// How many of the next posts fail as lost answers without the platform acting on them.
    pub lost_answers: Mutex<usize>,
    /// Reads of the participant's wrap-up so far.
    pub wrapup_reads: Mutex<usize>,
    /// What a bulk (analytics) read shows of the conversation, if anything.
    pub bulk: Mutex<Option<Conversation>>,
    /// Exact conversation reads so far.
    pub conversation_reads: Mutex<usize>,
}

fn code(id: &str, name: &str) -> WrapupCode {
    WrapupCode {
        id: id.into(),
        name: name.into(),
        ..WrapupCode::default()
    }
}

fn not_found() -> PlatformError {
    PlatformError::NotFound(ApiFailure {
        status: Some(404),
        message: "not found".into(),
        ..ApiFailure::default()
    })
}

impl FakePlatform {
    pub fn with_agent_state(state: &str) -> FakePlatform {
        let conversation: Conversation = serde_json::from_value(serde_json::json!({
            "id": CONV,
            "participants": [
                {"id": CUSTOMER, "purpose": "customer", "wrapupRequired": false,
                 "calls": [{"id": "88888888-8888-4888-8888-888888888888", "state": "disconnected"}]},
                {"id": AGENT, "purpose": "agent", "queueId": QUEUE, "wrapupRequired": true,
                 "calls": [{"id": AGENT_CALL, "state": state}]}
            ]
        }))
        .expect("the fixture is a valid Conversation");
        FakePlatform {
            conversation: Mutex::new(Some(conversation)),
            codes: vec![code(SALE, "Sale completed"), code(NO_SALE, "No sale")],
            ignore_writes: false,
            end_times: true,
            posts: Mutex::new(Vec::new()),
            lost_answers: Mutex::new(0),
            wrapup_reads: Mutex::new(0),
            bulk: Mutex::new(None),
            conversation_reads: Mutex::new(0),
        }
    }

    pub fn ended() -> FakePlatform {
        FakePlatform::with_agent_state("disconnected")
    }

    /// An ended call whose agent has no queue, so no queue limits the codes.
    pub fn ended_without_queue() -> FakePlatform {
        let platform = FakePlatform::ended();
        if let Some(agent) = platform
            .conversation
            .lock()
            .expect("not poisoned")
            .as_mut()
            .and_then(|c| c.participants.iter_mut().find(|p| p.id == AGENT))
        {
            agent.queue_id = None;
        }
        platform
    }

    fn agent_has_queue(&self) -> bool {
        self.conversation
            .lock()
            .expect("not poisoned")
            .as_ref()
            .and_then(|c| c.participants.iter().find(|p| p.id == AGENT))
            .is_some_and(|agent| agent.queue_id.is_some())
    }

    /// Sets the agent's wrap-up as someone outside Terraform would.
    pub fn set_wrapup(&self, code_id: &str, name: Option<&str>) {
        self.store_wrapup(Wrapup {
            code: Some(code_id.into()),
            name: name.map(str::to_owned),
            ..Wrapup::default()
        });
    }

    /// Stores `wrapup` as the agent's, with a later `endTime` than any before (when this
    /// platform shows end times).
    pub fn store_wrapup(&self, wrapup: Wrapup) {
        let mut conversation = self.conversation.lock().expect("not poisoned");
        if let Some(agent) = conversation
            .as_mut()
            .and_then(|c| c.participants.iter_mut().find(|p| p.id == AGENT))
        {
            let writes = self.posts.lock().expect("not poisoned").len();
            agent.wrapup = Some(Wrapup {
                end_time: self
                    .end_times
                    .then(|| format!("2026-12-01T10:{writes:02}:00.000Z")),
                ..wrapup
            });
        }
    }

    pub fn purge(&self) {
        *self.conversation.lock().expect("not poisoned") = None;
    }
}

#[async_trait]
impl ConversationApi for FakePlatform {
    async fn conversation(&self, conversation_id: &str) -> Result<Conversation, PlatformError> {
        *self.conversation_reads.lock().expect("not poisoned") += 1;
        self.conversation
            .lock()
            .expect("not poisoned")
            .clone()
            .filter(|c| c.id == conversation_id)
            .ok_or_else(not_found)
    }

    async fn conversation_in_bulk(&self, conversation_id: &str) -> Option<Conversation> {
        self.bulk
            .lock()
            .expect("not poisoned")
            .clone()
            .filter(|c| c.id == conversation_id)
    }

    async fn allowed_codes(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError> {
        if self.agent_has_queue() {
            Ok(self.codes.clone())
        } else {
            Ok(Vec::new())
        }
    }

    async fn codes_named(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError> {
        Ok(self
            .codes
            .iter()
            .filter(|c| c.name.to_lowercase() == name.to_lowercase())
            .cloned()
            .collect())
    }

    async fn code(&self, code_id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        Ok(self.codes.iter().find(|c| c.id == code_id).cloned())
    }

    async fn post_wrapup(
        &self,
        media: MediaType,
        _: &str,
        participant_id: &str,
        _: &str,
        wrapup: &WrapupBody,
    ) -> Result<(), PlatformError> {
        self.posts.lock().expect("not poisoned").push((
            media,
            participant_id.to_owned(),
            wrapup.clone(),
        ));
        {
            let mut lost = self.lost_answers.lock().expect("not poisoned");
            if *lost > 0 {
                *lost -= 1;
                return Err(PlatformError::Ambiguous(
                    "the platform answered HTTP 503".into(),
                ));
            }
        }
        if !self.ignore_writes {
            let name = self
                .codes
                .iter()
                .find(|c| c.id == wrapup.code)
                .map(|c| c.name.clone());
            self.store_wrapup(Wrapup {
                code: Some(wrapup.code.clone()),
                name,
                notes: wrapup.notes.clone(),
                tags: wrapup.tags.clone(),
                duration_seconds: wrapup.duration_seconds,
                ..Wrapup::default()
            });
        }
        Ok(())
    }

    async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError> {
        *self.wrapup_reads.lock().expect("not poisoned") += 1;
        let conversation = self.conversation(conversation_id).await?;
        Ok(conversation
            .participant(participant_id)
            .and_then(|p| p.wrapup.clone())
            .map(|w| AssignedWrapupCode {
                code: w.code,
                notes: w.notes,
                tags: w.tags,
                duration_seconds: w.duration_seconds,
                end_time: w.end_time,
            }))
    }
}
