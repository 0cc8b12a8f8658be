//! Terraform's diagnostics as the CLI reports them (`-json` or human text), and the check that
//! a diagnostic points at a given attribute of the configuration.

use std::path::Path;

use serde_json::Value;

/// One diagnostic as Terraform printed it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: String,
    pub summary: String,
    pub detail: String,
    /// `(file, line)` of the configuration range Terraform attached, if any.
    pub location: Option<(String, u64)>,
    /// The source line(s) Terraform quoted, if any.
    pub snippet: Option<String>,
    /// The resource address Terraform attached (`-json` output only), if any.
    pub address: Option<String>,
}

impl Diagnostic {
    fn text(&self) -> String {
        format!("{}\n{}", self.summary, self.detail)
    }

    /// True when the diagnostic's summary or detail contains `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        self.text().contains(needle)
    }

    /// Checks that Terraform placed the diagnostic on the line that assigns `attribute`:
    /// the configuration line it names must read `attribute = ...`. Returns why not.
    pub fn check_points_at(&self, workdir: &Path, attribute: &str) -> Result<(), String> {
        let (file, line) = self.location.as_ref().ok_or_else(|| {
            format!("the diagnostic has no configuration range (not attribute-scoped): {self:#?}")
        })?;
        let source = std::fs::read_to_string(workdir.join(file))
            .map_err(|error| format!("cannot read {file}: {error}"))?;
        let text = source
            .lines()
            .nth((*line as usize).saturating_sub(1))
            .ok_or_else(|| format!("{file} has no line {line}"))?;
        if !assigns(text, attribute) {
            return Err(format!(
                "the diagnostic points at {file} line {line} `{}`, not at `{attribute}`",
                text.trim()
            ));
        }
        if let Some(snippet) = &self.snippet
            && !snippet.lines().any(|code| assigns(code, attribute))
        {
            return Err(format!(
                "the diagnostic's snippet does not show `{attribute}`: {snippet}"
            ));
        }
        Ok(())
    }
}

/// True when `line` is `attribute = ...` (ignoring indentation and a line-number gutter).
fn assigns(line: &str, attribute: &str) -> bool {
    let line = line.trim_start();
    let line = line
        .split_once(':')
        .filter(|(gutter, _)| gutter.chars().all(|c| c.is_ascii_digit()) && !gutter.is_empty())
        .map_or(line, |(_, rest)| rest.trim_start());
    line.strip_prefix(attribute)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// Parses the diagnostics of a `-json` run: `validate -json` prints one object with a
/// `diagnostics` array; the other commands print one JSON message per line.
pub fn parse_json(stdout: &str) -> Vec<Diagnostic> {
    if let Ok(object) = serde_json::from_str::<Value>(stdout)
        && let Some(list) = object.get("diagnostics").and_then(Value::as_array)
    {
        return list.iter().map(from_json).collect();
    }
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message.get("type").and_then(Value::as_str) == Some("diagnostic"))
        .filter_map(|message| message.get("diagnostic").map(from_json))
        .collect()
}

fn from_json(diagnostic: &Value) -> Diagnostic {
    let text = |key: &str| {
        diagnostic
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let location = diagnostic.get("range").and_then(|range| {
        Some((
            range.get("filename")?.as_str()?.to_string(),
            range.get("start")?.get("line")?.as_u64()?,
        ))
    });
    let snippet = diagnostic
        .get("snippet")
        .and_then(|snippet| snippet.get("code"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Diagnostic {
        severity: text("severity"),
        summary: text("summary"),
        detail: text("detail"),
        location,
        snippet,
        address: diagnostic
            .get("address")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

/// Parses Terraform's human (`-no-color`) diagnostics: blocks starting with `Error: ` or
/// `Warning: `, optionally framed by `╷ │ ╵`, with an `on FILE line N` location.
pub fn parse_text(output: &str) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for raw in output.lines() {
        let line = raw
            .trim_start_matches(['╷', '╵', '│'])
            .strip_prefix(' ')
            .unwrap_or_else(|| raw.trim_start_matches(['╷', '╵', '│']));
        let header = line
            .strip_prefix("Error: ")
            .map(|s| ("error", s))
            .or_else(|| line.strip_prefix("Warning: ").map(|s| ("warning", s)));
        if let Some((severity, summary)) = header {
            diagnostics.push(Diagnostic {
                severity: severity.to_string(),
                summary: summary.trim().to_string(),
                detail: String::new(),
                location: None,
                snippet: None,
                address: None,
            });
            continue;
        }
        let Some(current) = diagnostics.last_mut() else {
            continue;
        };
        let trimmed = line.trim();
        if current.location.is_none()
            && let Some(rest) = trimmed.strip_prefix("on ")
            && let Some((file, rest)) = rest.split_once(" line ")
        {
            let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(number) = number.parse() {
                current.location = Some((file.to_string(), number));
                continue;
            }
        }
        if current.location.is_some() && current.snippet.is_none() && assigns_any(trimmed) {
            current.snippet = Some(trimmed.to_string());
            continue;
        }
        if !trimmed.is_empty() {
            if !current.detail.is_empty() {
                current.detail.push('\n');
            }
            current.detail.push_str(trimmed);
        }
    }
    diagnostics
}

/// True for a quoted source line with a gutter, like `3:   aws_region = "x"`.
fn assigns_any(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(gutter, _)| !gutter.is_empty() && gutter.chars().all(|c| c.is_ascii_digit()))
}
