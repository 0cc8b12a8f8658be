//! The guides under `docs/guides/` show their example files verbatim, so what readers copy is
//! what the tests run (`alongside_official` in the e2e suite, `scripts/test.d/emulator-example.sh`,
//! `scripts/test.d/compose.sh`).

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[track_caller]
fn shows_verbatim(guide: &str, files: &[&str]) {
    let page = read(guide);
    let missing: Vec<&&str> = files
        .iter()
        .filter(|file| !page.contains(&read(file)))
        .collect();
    assert!(
        missing.is_empty(),
        "{guide} does not show {missing:?} as they are"
    );
}

#[test]
fn alongside_the_official_provider_shows_its_example() {
    shows_verbatim(
        "docs/guides/alongside-the-official-provider.md",
        &[
            "examples/alongside-the-official-provider/main.tf",
            "examples/alongside-the-official-provider/move.tf",
        ],
    );
}

#[test]
fn testing_with_the_emulator_shows_its_module_tests_and_ci_step() {
    shows_verbatim(
        "docs/guides/testing-with-the-emulator.md",
        &[
            "examples/testing-with-the-emulator/main.tf",
            "examples/testing-with-the-emulator/tests/backfill.tftest.hcl",
            "examples/testing-with-the-emulator/ci.sh",
            "examples/testing-with-the-emulator/compose.yaml",
            "examples/testing-with-the-emulator/seed.json",
            "examples/testing-with-the-emulator/versions.tf",
        ],
    );
}
