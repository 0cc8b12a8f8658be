//! What the benchmark examples share: the client-credentials login against the emulator.

use serde_json::Value;

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
