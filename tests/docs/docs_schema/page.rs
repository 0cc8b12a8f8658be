//! A Registry docs page read into what the checks need: front matter, headings, the attribute
//! bullets under each heading, fenced code blocks and relative links.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One `- \`name\` (Type) Description` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Bullet {
    pub name: String,
    pub type_text: String,
    pub description: String,
}

/// The bullets under one heading path, e.g. `["Schema", "Required"]` or
/// `["Nested Schema for `config`", "Optional"]`.
#[derive(Debug, Default)]
pub struct Section {
    pub bullets: Vec<Bullet>,
}

/// A parsed docs page.
#[derive(Debug)]
pub struct Page {
    pub path: PathBuf,
    pub text: String,
    pub front_matter: BTreeMap<String, String>,
    /// `# ...` headings.
    pub titles: Vec<String>,
    /// Every `##`/`###` heading text, in order.
    pub headings: Vec<String>,
    /// Bullets keyed by `(h2, h3 or bold label)`; the label is empty for bullets directly
    /// under an `##` heading.
    pub sections: BTreeMap<(String, String), Section>,
    /// Contents of fenced code blocks, each trimmed.
    pub code_blocks: Vec<String>,
    /// Targets of Markdown links that are not absolute URLs.
    pub relative_links: Vec<String>,
}

impl Page {
    /// Reads and parses `path`; panics with the path when it cannot be read.
    pub fn load(path: &Path) -> Page {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read docs page {}: {e}", path.display()));
        Page::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Page {
        let mut page = Page {
            path: path.to_path_buf(),
            text: text.to_string(),
            front_matter: BTreeMap::new(),
            titles: Vec::new(),
            headings: Vec::new(),
            sections: BTreeMap::new(),
            code_blocks: Vec::new(),
            relative_links: Vec::new(),
        };
        let mut lines = text.lines().peekable();
        if lines.peek() == Some(&"---") {
            lines.next();
            for line in lines.by_ref() {
                if line == "---" {
                    break;
                }
                if let Some((key, value)) = line.split_once(':')
                    && !key.starts_with(' ')
                {
                    page.front_matter
                        .insert(key.trim().to_string(), value.trim().to_string());
                }
            }
        }
        let (mut h2, mut label) = (String::new(), String::new());
        let mut fence: Option<Vec<&str>> = None;
        let mut last_bullet: Option<(String, String)> = None;
        for line in lines {
            let continuation = line.starts_with("  ") && !line.trim().is_empty();
            if let (true, Some(key)) = (continuation, &last_bullet)
                && let Some(bullet) = page
                    .sections
                    .get_mut(key)
                    .and_then(|s| s.bullets.last_mut())
            {
                bullet.description.push(' ');
                bullet.description.push_str(line.trim());
                continue;
            }
            last_bullet = None;
            if line.trim_start().starts_with("```") {
                match fence.take() {
                    Some(body) => page.code_blocks.push(body.join("\n").trim().to_string()),
                    None => fence = Some(Vec::new()),
                }
                continue;
            }
            if let Some(body) = fence.as_mut() {
                body.push(line);
                continue;
            }
            page.relative_links.extend(relative_links(line));
            if let Some(title) = line.strip_prefix("# ") {
                page.titles.push(title.trim().to_string());
            } else if let Some(heading) = line.strip_prefix("## ") {
                h2 = heading.trim().to_string();
                label.clear();
                page.headings.push(h2.clone());
            } else if let Some(heading) = line.strip_prefix("### ") {
                let heading = heading.trim().to_string();
                page.headings.push(heading.clone());
                if heading.starts_with("Nested Schema for ") {
                    h2 = heading;
                    label.clear();
                } else {
                    label = heading;
                }
            } else if let Some(bold) = line
                .strip_suffix(':')
                .filter(|l| matches!(*l, "Required" | "Optional" | "Read-Only"))
            {
                label = bold.to_string();
            } else if let Some(bullet) = parse_bullet(line) {
                let key = (h2.clone(), label.clone());
                page.sections
                    .entry(key.clone())
                    .or_default()
                    .bullets
                    .push(bullet);
                last_bullet = Some(key);
            }
        }
        assert!(
            fence.is_none(),
            "{}: a fenced code block is never closed",
            path.display()
        );
        page
    }

    /// The bullets under `h2` / `label`, empty when the section is absent.
    pub fn bullets(&self, h2: &str, label: &str) -> &[Bullet] {
        self.sections
            .get(&(h2.to_string(), label.to_string()))
            .map(|s| s.bullets.as_slice())
            .unwrap_or(&[])
    }

    /// Whether the page's prose (outside code blocks) contains `text`, whitespace-normalised.
    pub fn mentions(&self, text: &str) -> bool {
        normalise(&self.text).contains(&normalise(text))
    }
}

/// Collapses runs of whitespace so line wrapping never matters.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `- \`name\` (Type) Description` → a [`Bullet`].
fn parse_bullet(line: &str) -> Option<Bullet> {
    let rest = line.strip_prefix("- `")?;
    let (name, rest) = rest.split_once('`')?;
    let rest = rest.strip_prefix(" (")?;
    let (type_text, description) = rest.split_once(')')?;
    Some(Bullet {
        name: name.to_string(),
        type_text: type_text.to_string(),
        description: description.trim().to_string(),
    })
}

fn relative_links(line: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        if !target.contains("://") && !target.starts_with("mailto:") {
            links.push(target.to_string());
        }
        rest = &rest[end..];
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_are_filed_under_their_headings_and_code_is_skipped() {
        let page = Page::parse(
            Path::new("x.md"),
            "---\npage_title: \"t\"\ndescription: |-\n  d\n---\n# t (Resource)\n\n\
             ```hcl\n## Schema\n- `fake` (String) in code\n```\n\
             ## Schema\n### Required\n- `name` (String) The name.\n  \
             \n### Read-Only\n- `id` (String, Sensitive)\n\
             ### Nested Schema for `config`\nOptional:\n- `x` (Number) X. See [a](../a.md#b).\n",
        );
        assert_eq!(page.front_matter["page_title"], "\"t\"");
        assert_eq!(page.titles, ["t (Resource)"]);
        assert_eq!(page.bullets("Schema", "Required")[0].name, "name");
        assert_eq!(
            page.bullets("Schema", "Read-Only")[0].type_text,
            "String, Sensitive"
        );
        assert_eq!(
            page.bullets("Nested Schema for `config`", "Optional")[0].name,
            "x"
        );
        assert!(page.bullets("Schema", "Optional").is_empty());
        assert_eq!(page.code_blocks, ["## Schema\n- `fake` (String) in code"]);
        assert_eq!(page.relative_links, ["../a.md#b"]);
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("Identity Schema"), "identity-schema");
        assert_eq!(
            anchor("Nested Schema for `config`"),
            "nested-schema-for-config"
        );
    }
}
