//! The examples under `examples/` are what users copy and what the docs pages embed, so they must
//! be real: every registered type has its Registry example files, everything is
//! `terraform fmt`-clean, and every example directory passes `terraform validate` (query files
//! with `-query`) through the real CLI against the freshly built provider.

use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use support::Workdir;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn is_config(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tfquery.hcl")
}

/// Every directory under `examples/` that holds Terraform configuration, sorted.
fn example_dirs() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut BTreeSet<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if is_config(&path) {
                found.insert(dir.to_path_buf());
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(&examples(), &mut found);
    found.into_iter().collect()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn examples_are_terraform_fmt_clean() {
    let workdir = Workdir::new();
    let target = examples();
    let target = target.to_string_lossy();
    let output = workdir.run(&["fmt", "-check", "-recursive", "-diff", "-no-color", &target]);
    assert!(
        output.success(),
        "run `terraform fmt -recursive examples/`: {output}"
    );
}

#[test]
fn every_registered_type_has_its_registry_example_files() {
    let provider = genesyscloud_provider::provider::new();
    let mut wanted: Vec<PathBuf> = vec![examples().join("provider/provider.tf")];
    for resource in provider.resources() {
        let dir = examples().join("resources").join(resource.type_name());
        wanted.push(dir.join("resource.tf"));
        if resource.identity_schema().is_some() {
            wanted.push(dir.join("import.sh"));
        }
    }
    for data_source in provider.data_sources() {
        wanted.push(
            examples()
                .join("data-sources")
                .join(data_source.type_name())
                .join("data-source.tf"),
        );
    }
    for action in provider.actions() {
        wanted.push(
            examples()
                .join("actions")
                .join(action.type_name())
                .join("action.tf"),
        );
    }
    let mut missing: Vec<String> = wanted
        .iter()
        .filter(|path| !path.is_file())
        .map(|path| relative(path))
        .collect();
    for list in provider.list_resources() {
        let dir = examples().join("list-resources").join(list.type_name());
        let has_query = std::fs::read_dir(&dir).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".tfquery.hcl"))
        });
        if !has_query {
            missing.push(format!("{}/*.tfquery.hcl", relative(&dir)));
        }
    }
    assert!(
        missing.is_empty(),
        "missing Registry examples: {missing:#?}"
    );
}

#[test]
fn import_examples_import_resources_their_resource_example_declares() {
    let resources = examples().join("resources");
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&resources).expect("examples/resources exists") {
        let dir = entry.expect("a readable directory entry").path();
        let Ok(script) = std::fs::read_to_string(dir.join("import.sh")) else {
            continue;
        };
        let config = std::fs::read_to_string(dir.join("resource.tf")).unwrap_or_default();
        for line in script.lines() {
            let Some(rest) = line.trim().strip_prefix("terraform import ") else {
                continue;
            };
            let address = rest.split_whitespace().next().unwrap_or_default();
            let declared = address.split_once('.').is_some_and(|(ty, name)| {
                config.contains(&format!("resource \"{ty}\" \"{name}\""))
            });
            checked += 1;
            if !declared {
                problems.push(format!(
                    "{}: imports {address}, which {} does not declare",
                    relative(&dir.join("import.sh")),
                    relative(&dir.join("resource.tf"))
                ));
            }
        }
    }
    assert!(
        checked > 0,
        "no `terraform import` line found in any import.sh"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Runs `terraform validate` on a copy of `dir` in a work dir wired to the test build.
fn validate(dir: &Path) -> Result<(), String> {
    let workdir = Workdir::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && is_config(&path) {
            let name = path.file_name().expect("a file has a name");
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            files.push((name.to_string_lossy().into_owned(), text));
        }
    }
    if files
        .iter()
        .any(|(_, text)| text.contains("required_providers"))
    {
        // The example brings its own `required_providers`; the harness's would clash.
        std::fs::remove_file(workdir.path().join("versions.tf")).map_err(|e| e.to_string())?;
    }
    if files
        .iter()
        .any(|(_, text)| text.contains("mypurecloud/genesyscloud"))
    {
        // Side by side with the official provider, which cannot be installed here.
        workdir.file(
            ".terraformrc",
            &support::terraform::cli_config_with_official_stand_in(),
        );
    }
    for (name, text) in &files {
        workdir.file(name, text);
    }
    let has_query = files.iter().any(|(name, _)| name.ends_with(".tfquery.hcl"));
    let mut args = vec!["validate", "-no-color"];
    if has_query {
        args.push("-query");
    }
    let output = workdir.run(&args);
    if output.success() {
        Ok(())
    } else {
        Err(format!("{}: {output}", relative(dir)))
    }
}

#[test]
fn every_example_directory_passes_terraform_validate() {
    let dirs = example_dirs();
    assert!(
        dirs.len() >= 6,
        "expected the Registry example directories, found {dirs:?}"
    );
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .chunks(dirs.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|d| validate(d).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a validate thread does not panic"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} example directories fail `terraform validate`:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
