//! The `null_provider` example's binary, shared by the tests that run it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The example's binary, built now by cargo: a no-op when `cargo test` has just built it
/// beside the tests, and a rebuild when only some tests were selected (`--test NAME` builds
/// no examples), so a test never runs a stale binary left by an earlier build.
pub fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in <target>/<profile>/deps");
    let binary = profile_dir.join("examples/null_provider");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(cargo)
        .args([
            "build",
            "-p",
            "tfplugin-framework",
            "--example",
            "null_provider",
        ])
        .status()
        .expect("cargo runs");
    assert!(built.success(), "building the null_provider example failed");
    assert!(
        binary.is_file(),
        "no example binary at {}",
        binary.display()
    );
    binary
}
