//! What a page must say about a schema: every attribute under the section its flags call for,
//! with its type and its schema description, and nothing the schema does not have.

use tfplugin_framework::cty::Type;
use tfplugin_framework::{Attribute, Block, IdentitySchema, Nesting};

use super::page::{Bullet, Page, normalise};

/// The section labels, in page order.
pub const LABELS: [&str; 3] = ["Required", "Optional", "Read-Only"];

/// The bullet a docs page must carry for one attribute or nested block.
#[derive(Debug, Clone)]
pub struct Expected {
    pub label: &'static str,
    pub name: String,
    pub type_text: String,
    pub description: String,
}

impl Expected {
    /// The exact Markdown line to paste into the page.
    pub fn line(&self) -> String {
        if self.description.is_empty() {
            format!("- `{}` ({})", self.name, self.type_text)
        } else {
            format!(
                "- `{}` ({}) {}",
                self.name,
                self.type_text,
                normalise(&self.description)
            )
        }
    }

    fn matches(&self, bullet: &Bullet) -> bool {
        bullet.type_text == self.type_text
            && normalise(&bullet.description) == normalise(&self.description)
    }
}

/// Checks `block` against the bullets under `h2` (and, for nested blocks, the
/// `### Nested Schema for \`path\`` sections), pushing one message per problem.
pub fn check_block(page: &Page, h2: &str, block: &Block, problems: &mut Vec<String>) {
    let expected = block_bullets(block);
    check_bullets(page, h2, &expected, problems);
    for nested in &block.block_types {
        let nested_h2 = format!("Nested Schema for `{}`", nested.type_name);
        check_block(page, &nested_h2, &nested.block, problems);
    }
}

/// Checks an identity schema against the bullets under `## Identity Schema`.
pub fn check_identity(page: &Page, identity: &IdentitySchema, problems: &mut Vec<String>) {
    let expected: Vec<Expected> = identity
        .attributes
        .iter()
        .map(|a| Expected {
            label: if a.required_for_import {
                "Required"
            } else {
                "Optional"
            },
            name: a.name.clone(),
            type_text: type_text(&a.ty),
            description: a.description.clone(),
        })
        .collect();
    check_bullets(page, "Identity Schema", &expected, problems);
}

fn check_bullets(page: &Page, h2: &str, expected: &[Expected], problems: &mut Vec<String>) {
    let where_ = page.path.display();
    for want in expected {
        let found = LABELS
            .iter()
            .flat_map(|label| {
                page.bullets(h2, label)
                    .iter()
                    .filter(|b| b.name == want.name)
                    .map(move |b| (*label, b))
            })
            .collect::<Vec<_>>();
        match found.as_slice() {
            [] => problems.push(format!(
                "{where_}: `{}` is missing; add under `{h2}` → `{}`:\n{}",
                want.name,
                want.label,
                want.line()
            )),
            [(label, bullet)] => {
                if *label != want.label {
                    problems.push(format!(
                        "{where_}: `{}` is under `{h2}` → `{label}` but the schema makes it {}",
                        want.name, want.label
                    ));
                }
                if !want.matches(bullet) {
                    problems.push(format!(
                        "{where_}: `{}` under `{h2}` does not match the schema; expected:\n{}",
                        want.name,
                        want.line()
                    ));
                }
            }
            _ => problems.push(format!(
                "{where_}: `{}` is listed {} times under `{h2}`",
                want.name,
                found.len()
            )),
        }
    }
    for label in LABELS {
        for bullet in page.bullets(h2, label) {
            if !expected.iter().any(|e| e.name == bullet.name) {
                problems.push(format!(
                    "{where_}: `{}` under `{h2}` → `{label}` is not in the schema (stale docs?)",
                    bullet.name
                ));
            }
        }
    }
}

fn block_bullets(block: &Block) -> Vec<Expected> {
    let mut expected: Vec<Expected> = block.attributes.iter().map(attribute_bullet).collect();
    expected.extend(block.block_types.iter().map(|nested| Expected {
        label: if nested.min_items > 0 {
            "Required"
        } else {
            "Optional"
        },
        name: nested.type_name.clone(),
        type_text: block_type_text(nested.nesting, nested.min_items, nested.max_items),
        description: nested.block.description.clone(),
    }));
    expected
}

fn attribute_bullet(attribute: &Attribute) -> Expected {
    let label = if attribute.required {
        "Required"
    } else if attribute.optional {
        "Optional"
    } else {
        "Read-Only"
    };
    let mut type_text = type_text(&attribute.ty);
    for (flag, word) in [
        (attribute.sensitive, "Sensitive"),
        (attribute.write_only, "Write-only"),
        (attribute.deprecated, "Deprecated"),
    ] {
        if flag {
            type_text.push_str(", ");
            type_text.push_str(word);
        }
    }
    Expected {
        label,
        name: attribute.name.clone(),
        type_text,
        description: attribute.description.clone(),
    }
}

/// The type as tfplugindocs writes it: `String`, `Boolean`, `List of String`, ...
pub fn type_text(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(element) => format!("List of {}", type_text(element)),
        Type::Set(element) => format!("Set of {}", type_text(element)),
        Type::Map(element) => format!("Map of {}", type_text(element)),
        Type::Object { .. } => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

fn block_type_text(nesting: Nesting, min: i64, max: i64) -> String {
    let kind = match nesting {
        Nesting::Single | Nesting::Group => "Block",
        Nesting::List => "Block List",
        Nesting::Set => "Block Set",
        Nesting::Map => "Block Map",
    };
    let mut limits = Vec::new();
    if min > 0 {
        limits.push(format!("Min: {min}"));
    }
    if max > 0 {
        limits.push(format!("Max: {max}"));
    }
    if limits.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}, {}", limits.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn attribute(name: &str, required: bool, optional: bool, computed: bool) -> Attribute {
        Attribute {
            name: name.into(),
            ty: Type::String,
            description: format!("The {name}."),
            required,
            optional,
            computed,
            sensitive: false,
            write_only: false,
            deprecated: false,
        }
    }

    fn block() -> Block {
        Block {
            attributes: vec![
                attribute("name", true, false, false),
                attribute("division_id", false, true, true),
                attribute("id", false, false, true),
            ],
            ..Block::default()
        }
    }

    fn problems(markdown: &str) -> Vec<String> {
        let page = Page::parse(Path::new("p.md"), markdown);
        let mut problems = Vec::new();
        check_block(&page, "Schema", &block(), &mut problems);
        problems
    }

    const GOOD: &str = "## Schema\n### Required\n- `name` (String) The name.\n\
                        ### Optional\n- `division_id` (String) The\n  division_id.\n\
                        ### Read-Only\n- `id` (String) The id.\n";

    #[test]
    fn a_page_matching_the_schema_passes() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
    }

    #[test]
    fn a_missing_attribute_is_reported_with_the_line_to_add() {
        let found = problems(&GOOD.replace("- `id` (String) The id.\n", ""));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("- `id` (String) The id."), "{found:?}");
    }

    #[test]
    fn an_attribute_in_the_wrong_section_is_reported() {
        let page = GOOD
            .replace(
                "### Optional\n- `division_id` (String) The\n  division_id.\n",
                "",
            )
            .replace(
                "### Read-Only\n",
                "### Read-Only\n- `division_id` (String) The division_id.\n",
            );
        let found = problems(&page);
        assert!(
            found.iter().any(|p| p.contains("schema makes it Optional")),
            "{found:?}"
        );
    }

    #[test]
    fn a_stale_attribute_or_description_is_reported() {
        let found = problems(&format!("{GOOD}- `old` (String) Gone.\n"));
        assert!(found.iter().any(|p| p.contains("`old`")), "{found:?}");
        let found = problems(&GOOD.replace("The name.", "A name."));
        assert!(
            found.iter().any(|p| p.contains("does not match")),
            "{found:?}"
        );
    }
}
