//! The Registry docs under `docs/` cannot silently fall behind the provider: every type the
//! provider registers has a page and every page a type; every attribute (provider, resource,
//! data source, list resource config, action, identity) is listed under the section its flags
//! call for (Required / Optional / Read-Only) with its type and its schema description; every
//! page shows its `examples/` files verbatim; relative links resolve.
//! That the examples themselves exist and are valid is `examples_validate`'s job.

mod expect;
mod page;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use expect::{check_block, check_identity};
use genesys_client::Region;
use genesyscloud_provider::provider::SETTINGS;
use page::{Page, anchor, normalise};
use tfplugin_framework::{Block, Provider};

const PREFIX: &str = "genesyscloud_";

/// A kind of Terraform type and where its docs and examples live.
#[derive(Debug, Clone, Copy)]
struct Kind {
    docs_dir: &'static str,
    examples_dir: &'static str,
    /// The H1 suffix and page-title word, e.g. `Data Source`.
    label: &'static str,
    /// Example files the page must show when present (`examples_validate` requires
    /// them).
    example_files: &'static [&'static str],
}

const RESOURCE: Kind = Kind {
    docs_dir: "resources",
    examples_dir: "resources",
    label: "Resource",
    example_files: &["resource.tf", "import.sh"],
};
const DATA_SOURCE: Kind = Kind {
    docs_dir: "data-sources",
    examples_dir: "data-sources",
    label: "Data Source",
    example_files: &["data-source.tf"],
};
const LIST_RESOURCE: Kind = Kind {
    docs_dir: "list-resources",
    examples_dir: "list-resources",
    label: "List Resource",
    example_files: &["*.tfquery.hcl"],
};
const ACTION: Kind = Kind {
    docs_dir: "actions",
    examples_dir: "actions",
    label: "Action",
    example_files: &["action.tf"],
};
const KINDS: [Kind; 4] = [RESOURCE, DATA_SOURCE, LIST_RESOURCE, ACTION];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every registered type of `kind` with its schema block.
fn registered(provider: &dyn Provider, kind: &str) -> Vec<(String, Block)> {
    match kind {
        "resources" => provider
            .resources()
            .iter()
            .map(|r| (r.type_name().to_string(), r.schema().block))
            .collect(),
        "data-sources" => provider
            .data_sources()
            .iter()
            .map(|d| (d.type_name().to_string(), d.schema().block))
            .collect(),
        "list-resources" => provider
            .list_resources()
            .iter()
            .map(|l| (l.type_name().to_string(), l.config_schema().block))
            .collect(),
        "actions" => provider
            .actions()
            .iter()
            .map(|a| (a.type_name().to_string(), a.schema().block))
            .collect(),
        other => unreachable!("no kind {other}"),
    }
}

fn page_path(kind: Kind, type_name: &str) -> PathBuf {
    let short = type_name.strip_prefix(PREFIX).unwrap_or(type_name);
    root()
        .join("docs")
        .join(kind.docs_dir)
        .join(format!("{short}.md"))
}

fn files_in(dir: &Path, extension: &str) -> BTreeSet<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(extension))
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

fn fail_on(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "docs are behind the provider:\n\n{}",
        problems.join("\n\n")
    );
}

/// Front matter, H1 and description a Registry page of `type_name` must have.
fn check_page_header(page: &Page, type_name: &str, kind: Kind, block: &Block) -> Vec<String> {
    let mut problems = Vec::new();
    let where_ = page.path.display();
    let title = format!("{type_name} {} - genesyscloud", kind.label);
    if page
        .front_matter
        .get("page_title")
        .map(|t| t.trim_matches('"'))
        != Some(title.as_str())
    {
        problems.push(format!(
            "{where_}: front matter needs page_title: \"{title}\""
        ));
    }
    for key in ["subcategory", "description"] {
        if !page.front_matter.contains_key(key) {
            problems.push(format!("{where_}: front matter needs `{key}`"));
        }
    }
    let h1 = format!("{type_name} ({})", kind.label);
    if page.titles != [h1.clone()] {
        problems.push(format!("{where_}: the one `#` heading must be `# {h1}`"));
    }
    if !block.description.is_empty() && !page.mentions(&block.description) {
        problems.push(format!(
            "{where_}: the schema description is missing from the page:\n{}",
            normalise(&block.description)
        ));
    }
    if !page.headings.iter().any(|h| h == "Example Usage") {
        problems.push(format!("{where_}: needs an `## Example Usage` section"));
    }
    problems
}

/// The page shows each example file of the type verbatim in a code block.
fn check_examples(page: &Page, type_name: &str, kind: Kind) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = root()
        .join("examples")
        .join(kind.examples_dir)
        .join(type_name);
    for pattern in kind.example_files {
        let names: Vec<String> = match pattern.strip_prefix('*') {
            Some(suffix) => files_in(&dir, suffix).into_iter().collect(),
            None => [pattern.to_string()]
                .into_iter()
                .filter(|name| dir.join(name).is_file())
                .collect(),
        };
        for name in names {
            let path = dir.join(&name);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if !page.code_blocks.iter().any(|block| block == text.trim()) {
                problems.push(format!(
                    "{}: does not show {} verbatim in a code block (copy the file in)",
                    page.path.display(),
                    path.strip_prefix(root()).unwrap_or(&path).display()
                ));
            }
        }
    }
    problems
}

#[test]
fn every_type_has_a_page_and_every_page_a_type() {
    let provider = genesyscloud_provider::provider::new();
    let mut problems = Vec::new();
    if !root().join("docs/index.md").is_file() {
        problems.push("docs/index.md (the provider page) is missing".to_string());
    }
    for kind in KINDS {
        let types = registered(provider.as_ref(), kind.docs_dir);
        let expected: BTreeSet<String> = types
            .iter()
            .map(|(name, _)| {
                let path = page_path(kind, name);
                path.file_name()
                    .expect("page paths end in a file name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let present = files_in(&root().join("docs").join(kind.docs_dir), ".md");
        for missing in expected.difference(&present) {
            problems.push(format!(
                "docs/{}/{missing} is missing: a registered {} has no page",
                kind.docs_dir, kind.label
            ));
        }
        for extra in present.difference(&expected) {
            problems.push(format!(
                "docs/{}/{extra} documents no registered {}",
                kind.docs_dir, kind.label
            ));
        }
    }
    fail_on(problems);
}

#[test]
fn provider_page_documents_every_setting_region_and_environment_variable() {
    let provider = genesyscloud_provider::provider::new();
    let page = Page::load(&root().join("docs/index.md"));
    let mut problems = Vec::new();
    check_block(&page, "Schema", &provider.schema().block, &mut problems);
    if !page.mentions(&provider.schema().block.description) {
        problems.push("docs/index.md: the provider schema description is missing".into());
    }
    for setting in SETTINGS {
        if !page
            .text
            .contains(&format!("| `{}` | `{}` |", setting.env, setting.name))
        {
            problems.push(format!(
                "docs/index.md: the environment variables table lacks `| `{}` | `{}` |`",
                setting.env, setting.name
            ));
        }
    }
    for region in Region::ALL {
        if !page.text.contains(&format!("| `{}`", region.name))
            || !page.text.contains(&format!("`{}` |", region.domain))
        {
            problems.push(format!(
                "docs/index.md: the regions table lacks `{}` (`{}`)",
                region.name, region.domain
            ));
        }
    }
    let example = root().join("examples/provider/provider.tf");
    let text = std::fs::read_to_string(&example).unwrap_or_default();
    if text.trim().is_empty() || !page.code_blocks.iter().any(|b| b == text.trim()) {
        problems.push("docs/index.md must show examples/provider/provider.tf verbatim".into());
    }
    fail_on(problems);
}

fn check_kind(kind: Kind) {
    let provider = genesyscloud_provider::provider::new();
    let mut problems = Vec::new();
    for (type_name, block) in registered(provider.as_ref(), kind.docs_dir) {
        let path = page_path(kind, &type_name);
        if !path.is_file() {
            problems.push(format!("{} is missing", path.display()));
            continue;
        }
        let page = Page::load(&path);
        problems.extend(check_page_header(&page, &type_name, kind, &block));
        check_block(&page, "Schema", &block, &mut problems);
        problems.extend(check_examples(&page, &type_name, kind));
        if kind.docs_dir == "resources" {
            let resource = provider
                .resources()
                .into_iter()
                .find(|r| r.type_name() == type_name)
                .expect("the type was just listed among the resources");
            match resource.identity_schema() {
                Some(identity) => check_identity(&page, &identity, &mut problems),
                None if page.headings.iter().any(|h| h == "Identity Schema") => {
                    problems.push(format!(
                        "{}: documents an identity the resource lacks",
                        path.display()
                    ))
                }
                None => {}
            }
            let import_example = root()
                .join("examples/resources")
                .join(&type_name)
                .join("import.sh");
            let documents_import = page.headings.iter().any(|h| h == "Import");
            if import_example.is_file() != documents_import {
                problems.push(format!(
                    "{}: an `## Import` section and examples/resources/{type_name}/import.sh \
                     go together",
                    path.display()
                ));
            }
        }
    }
    fail_on(problems);
}

#[test]
fn resource_pages_list_every_attribute_in_its_section_and_the_identity() {
    check_kind(RESOURCE);
}

#[test]
fn data_source_pages_list_every_attribute_in_its_section() {
    check_kind(DATA_SOURCE);
}

#[test]
fn list_resource_pages_list_every_config_attribute_in_its_section() {
    check_kind(LIST_RESOURCE);
}

#[test]
fn action_pages_list_every_attribute_in_its_section() {
    check_kind(ACTION);
}

#[test]
fn every_registry_example_directory_names_a_registered_type() {
    let provider = genesyscloud_provider::provider::new();
    let mut problems = Vec::new();
    for kind in KINDS {
        let types: BTreeSet<String> = registered(provider.as_ref(), kind.docs_dir)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let dir = root().join("examples").join(kind.examples_dir);
        for name in files_in(&dir, "") {
            if dir.join(&name).is_dir() && !types.contains(&name) {
                problems.push(format!(
                    "examples/{}/{name} is not a registered {}",
                    kind.examples_dir, kind.label
                ));
            }
        }
    }
    fail_on(problems);
}

#[test]
fn relative_links_in_docs_point_at_existing_pages_and_headings() {
    let mut problems = Vec::new();
    let mut pages = vec![root().join("docs/index.md")];
    for dir in KINDS.iter().map(|kind| kind.docs_dir).chain(["guides"]) {
        let dir = root().join("docs").join(dir);
        pages.extend(files_in(&dir, ".md").into_iter().map(|name| dir.join(name)));
    }
    for path in pages.into_iter().filter(|p| p.is_file()) {
        let page = Page::load(&path);
        for link in &page.relative_links {
            let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                path.parent().expect("pages live in a directory").join(file)
            };
            if !target.is_file() {
                problems.push(format!("{}: link {link} points nowhere", path.display()));
                continue;
            }
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "md") {
                let linked = Page::load(&target);
                if !linked.headings.iter().any(|h| anchor(h) == fragment) {
                    problems.push(format!(
                        "{}: link {link} names no heading of {}",
                        path.display(),
                        target.display()
                    ));
                }
            }
        }
    }
    fail_on(problems);
}
