//! The emulated organisation's data: divisions, wrap-up codes, queues and conversations.
//! Serialisable as a whole so `--state FILE` can load it at start and rewrite it on change.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::media::Media;

/// Id of the seeded home division ("Home").
pub const HOME_DIVISION_ID: Uuid = Uuid::from_u128(0x00000000_0000_4000_8000_000000000001);
/// Id of the seeded second division ("Sales").
pub const SALES_DIVISION_ID: Uuid = Uuid::from_u128(0x00000000_0000_4000_8000_000000000002);

/// Everything the emulated org holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    pub divisions: Vec<Division>,
    pub wrapup_codes: BTreeMap<Uuid, WrapupCode>,
    pub queues: BTreeMap<Uuid, Queue>,
    pub conversations: BTreeMap<Uuid, Conversation>,
}

/// An authorization division.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Division {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub home: bool,
}

/// A wrap-up code's division: one division, or `*` (all divisions), which the SDK's
/// `StarrableDivision` and `WritableStarrableDivision` allow. Stored as the ID or `"*"`, so
/// state files written before `*` existed load unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeDivision {
    Id(Uuid),
    All,
}

impl CodeDivision {
    /// How the API and the state file write it: the UUID, or `*`.
    pub const ALL: &'static str = "*";

    /// Parses a division reference as a request writes it (`*` or a UUID).
    pub fn parse(raw: &str) -> Option<CodeDivision> {
        let raw = raw.trim();
        if raw == Self::ALL {
            return Some(CodeDivision::All);
        }
        Uuid::parse_str(raw).ok().map(CodeDivision::Id)
    }
}

impl std::fmt::Display for CodeDivision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeDivision::Id(id) => write!(f, "{id}"),
            CodeDivision::All => f.write_str(Self::ALL),
        }
    }
}

impl Serialize for CodeDivision {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CodeDivision {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        CodeDivision::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("not a division: {raw:?}")))
    }
}

/// A wrap-up code as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupCode {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub division_id: CodeDivision,
    pub date_created: String,
    pub date_modified: String,
    pub created_by: String,
    pub modified_by: String,
}

/// A routing queue, reduced to what wrap-up handling needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queue {
    pub id: Uuid,
    pub name: String,
    /// The queue's division; state files written before queues had one load as home.
    #[serde(default = "home_division_id")]
    pub division_id: Uuid,
    pub wrapup_codes: Vec<Uuid>,
}

fn home_division_id() -> Uuid {
    HOME_DIVISION_ID
}

/// A seeded conversation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: Uuid,
    pub media: Media,
    pub start_time: String,
    pub participants: Vec<Participant>,
}

/// One participant of a conversation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    pub id: Uuid,
    pub purpose: String,
    pub name: Option<String>,
    pub user_id: Option<Uuid>,
    pub queue_id: Option<Uuid>,
    pub wrapup_required: bool,
    pub start_time: String,
    pub communications: Vec<Communication>,
    pub wrapup: Option<Wrapup>,
}

/// One communication (call leg, chat session, ...) of a participant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Communication {
    pub id: Uuid,
    pub state: String,
    pub connected_time: Option<String>,
    pub disconnected_time: Option<String>,
    pub wrapup: Option<Wrapup>,
}

/// A wrap-up assigned to a participant or communication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wrapup {
    pub code: String,
    pub name: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub duration_seconds: Option<i64>,
    pub end_time: String,
    pub provisional: bool,
}

impl WrapupCode {
    /// Sort key: name ignoring case, id as tie-break (stable paging).
    pub fn name_key(&self) -> (String, Uuid) {
        (self.name.to_lowercase(), self.id)
    }
}

impl Communication {
    /// Whether the communication has ended, i.e. its participant may be wrapped up.
    pub fn is_ended(&self) -> bool {
        matches!(self.state.as_str(), "disconnected" | "terminated")
    }
}

impl Participant {
    /// The participant's state as the per-media views show it: its first communication's.
    pub fn state(&self) -> &str {
        self.communications
            .first()
            .map_or("disconnected", |c| c.state.as_str())
    }

    /// When the participant left: the last communication's disconnect time once all ended.
    pub fn end_time(&self) -> Option<&str> {
        if self.communications.iter().all(Communication::is_ended) {
            self.communications
                .iter()
                .filter_map(|c| c.disconnected_time.as_deref())
                .max()
        } else {
            None
        }
    }
}

impl Default for Store {
    fn default() -> Self {
        Store {
            divisions: vec![
                Division {
                    id: HOME_DIVISION_ID,
                    name: "Home".into(),
                    description: "The organization's home division".into(),
                    home: true,
                },
                Division {
                    id: SALES_DIVISION_ID,
                    name: "Sales".into(),
                    description: "Sales teams".into(),
                    home: false,
                },
            ],
            wrapup_codes: BTreeMap::new(),
            queues: BTreeMap::new(),
            conversations: BTreeMap::new(),
        }
    }
}

impl Store {
    /// The home division.
    pub fn home_division(&self) -> &Division {
        self.divisions
            .iter()
            .find(|d| d.home)
            .unwrap_or(&self.divisions[0])
    }

    /// A division by id.
    pub fn division(&self, id: Uuid) -> Option<&Division> {
        self.divisions.iter().find(|d| d.id == id)
    }

    /// The id of the code whose name equals `name` ignoring case and surrounding whitespace.
    pub fn code_named(&self, name: &str) -> Option<Uuid> {
        let wanted = name.trim().to_lowercase();
        self.wrapup_codes
            .values()
            .find(|c| c.name.trim().to_lowercase() == wanted)
            .map(|c| c.id)
    }

    /// Loads a state file; a missing file means a fresh org.
    pub fn load(path: &Path) -> io::Result<Store> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let mut store: Store = serde_json::from_slice(&bytes).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("state file {} is not valid: {e}", path.display()),
                    )
                })?;
                if !store.divisions.iter().any(|d| d.home) {
                    store.divisions = Store::default().divisions;
                }
                Ok(store)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Store::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the state file atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_store_has_home_and_sales_divisions() {
        let store = Store::default();
        assert_eq!(store.home_division().id, HOME_DIVISION_ID);
        assert_eq!(
            store.division(SALES_DIVISION_ID).map(|d| d.name.as_str()),
            Some("Sales")
        );
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = std::env::temp_dir().join(format!("emu-store-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        let path = dir.join("state.json");
        let mut store = Store::default();
        let id = Uuid::new_v4();
        store.wrapup_codes.insert(
            id,
            WrapupCode {
                id,
                name: "Sale".into(),
                description: None,
                division_id: CodeDivision::Id(HOME_DIVISION_ID),
                date_created: "2024-01-01T00:00:00.000Z".into(),
                date_modified: "2024-01-01T00:00:00.000Z".into(),
                created_by: "c".into(),
                modified_by: "c".into(),
            },
        );
        store.save(&path).expect("state saves");
        let loaded = Store::load(&path).expect("state loads");
        assert_eq!(loaded.wrapup_codes.get(&id), store.wrapup_codes.get(&id));
        assert_eq!(loaded.code_named("  SALE "), Some(id));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn missing_state_file_is_a_fresh_org() {
        let path = std::env::temp_dir().join(format!("emu-missing-{}.json", Uuid::new_v4()));
        let store = Store::load(&path).expect("missing file is fine");
        assert!(store.wrapup_codes.is_empty());
    }
}
