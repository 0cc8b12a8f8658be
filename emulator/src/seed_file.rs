//! The seed file (`--seed FILE`, `GENESYS_EMULATOR_SEED`): the org's divisions, wrap-up codes,
//! queues with their codes, and conversations, made at start before the first request.
//!
//! Each entry is the body of the admin API request that makes it, and is applied through that
//! very route, so the file and the admin API share one schema and one set of checks:
//!
//! ```json
//! {
//!   "divisions":     [{ "id": "…", "name": "Support" }],
//!   "wrapupCodes":   [{ "id": "…", "name": "Sale completed", "division": { "id": "…" } }],
//!   "queues":        [{ "id": "…", "name": "Sales", "codeIds": ["…"] }],
//!   "conversations": [{ "id": "…", "mediaType": "call", "participants": [ … ] }]
//! }
//! ```
//!
//! Sections are applied in that order (`POST /__emulator/divisions`, `/wrapupcodes`, `/queues`,
//! `/conversations`), entries in file order; every key is optional, unknown keys are refused,
//! and the first refused entry stops the start with the admin API's own message. The same
//! document can be posted to a running emulator as `POST /__emulator/seed`.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Method, Request, header};
use serde::Deserialize;
use serde_json::Value;
use tower::ServiceExt;

use crate::conn::ConnInfo;

/// A seed file's contents: per section, the admin API bodies to post.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedFile {
    /// Bodies of `POST /__emulator/divisions`.
    #[serde(default)]
    pub divisions: Vec<Value>,
    /// Bodies of `POST /__emulator/wrapupcodes`.
    #[serde(default)]
    pub wrapup_codes: Vec<Value>,
    /// Bodies of `POST /__emulator/queues`.
    #[serde(default)]
    pub queues: Vec<Value>,
    /// Bodies of `POST /__emulator/conversations`.
    #[serde(default)]
    pub conversations: Vec<Value>,
}

/// Why a seed file was not applied.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read the seed file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not a seed file.
    #[error("the seed file {} is not valid: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// The admin API refused one entry.
    #[error("the seed file {}: {section}[{index}] was refused ({status}): {message}", path.display())]
    Refused {
        path: PathBuf,
        section: &'static str,
        index: usize,
        status: u16,
        message: String,
    },
}

/// One entry the admin API refused.
#[derive(Debug)]
pub struct Refusal {
    /// The section holding it (`queues`, …).
    pub section: &'static str,
    /// Its index in that section.
    pub index: usize,
    /// The admin API's status.
    pub status: u16,
    /// The admin API's message.
    pub message: String,
}

/// Reads `path` and applies it through `app`'s admin routes.
pub async fn apply(app: &Router, path: &Path) -> Result<(), SeedError> {
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
        path: path.to_owned(),
        source,
    })?;
    let seed: SeedFile = serde_json::from_str(&text).map_err(|source| SeedError::Parse {
        path: path.to_owned(),
        source,
    })?;
    apply_entries(app, &seed)
        .await
        .map_err(|refusal| SeedError::Refused {
            path: path.to_owned(),
            section: refusal.section,
            index: refusal.index,
            status: refusal.status,
            message: refusal.message,
        })
}

/// Posts every entry of `seed` to its admin route, sections in order; stops at the first
/// refusal (what came before it stays).
pub async fn apply_entries(app: &Router, seed: &SeedFile) -> Result<(), Refusal> {
    let sections = [
        ("divisions", "/__emulator/divisions", &seed.divisions),
        ("wrapupCodes", "/__emulator/wrapupcodes", &seed.wrapup_codes),
        ("queues", "/__emulator/queues", &seed.queues),
        (
            "conversations",
            "/__emulator/conversations",
            &seed.conversations,
        ),
    ];
    for (section, route, entries) in sections {
        for (index, entry) in entries.iter().enumerate() {
            post(app, route, entry)
                .await
                .map_err(|(status, message)| Refusal {
                    section,
                    index,
                    status,
                    message,
                })?;
        }
    }
    Ok(())
}

/// Posts one entry to an admin route in-process, as a loopback peer; the status and error
/// message when refused.
async fn post(app: &Router, route: &str, body: &Value) -> Result<(), (u16, String)> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(route)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a POST with a JSON body and a literal path is a valid request");
    request
        .extensions_mut()
        .insert(ConnectInfo(ConnInfo::in_process()));
    let response = match app.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|body| body["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
    Err((status.as_u16(), message))
}
