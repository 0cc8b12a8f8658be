//! What the benchmark examples share: the emulator's login, the requests they time, and the
//! wrap-up targets read off a details-query answer.

use serde_json::{Value, json};

/// Logs in to the emulator at `url` with its default client and returns the access token.
pub async fn log_in(
    http: &reqwest::Client,
    url: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let login: Value = http
        .post(format!("{url}/oauth/token"))
        .basic_auth("emulator-client", Some("emulator-secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await?
        .json()
        .await?;
    Ok(login["access_token"].as_str().ok_or("no token")?.to_owned())
}

/// Page `page` (100 conversations a page, by start) of the details query over `interval`.
pub fn details_page(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    interval: &str,
    page: usize,
) -> reqwest::RequestBuilder {
    http.post(format!(
        "{url}/api/v2/analytics/conversations/details/query"
    ))
    .bearer_auth(token)
    .json(&json!({
        "interval": interval, "order": "asc", "orderBy": "conversationStart",
        "paging": {"pageSize": 100, "pageNumber": page}
    }))
}

/// The wrap-up write of `code` for a call's participant and communication.
pub fn wrapup_post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    (conversation, participant, communication): &(String, String, String),
    code: &str,
    notes: &str,
) -> reqwest::RequestBuilder {
    http.post(format!(
        "{url}/api/v2/conversations/calls/{conversation}/participants/{participant}/communications/{communication}/wrapup"
    ))
    .bearer_auth(token)
    .json(&json!({"code": code, "notes": notes}))
}

/// The (conversation, participant, first session) of each agent participant of an analytics
/// conversation view.
pub fn agent_targets(conversation: &Value) -> Vec<(String, String, String)> {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    conversation["participants"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["purpose"] == "agent")
        .map(|p| {
            (
                text(&conversation["conversationId"]),
                text(&p["participantId"]),
                text(&p["sessions"][0]["sessionId"]),
            )
        })
        .collect()
}
