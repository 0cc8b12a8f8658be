//! Shared end-to-end harness: runs the real Terraform CLI against the freshly built provider.
//! Each test binary that drives Terraform (`tests/e2e/`, `tests/docs/`) includes it with
//! `#[path = "../support/mod.rs"] mod support;`.
#![allow(dead_code, unused_imports)]

pub mod diagnostics;
pub mod emulator;
pub mod process;
pub mod terraform;
pub mod tls;
pub mod workdir;

pub use diagnostics::Diagnostic;
pub use emulator::Emulator;
pub use process::{Running, Signal};
pub use terraform::{OFFICIAL_SOURCE, PROVIDER_SOURCE, provider_binary, terraform_path};
pub use tls::{TestTls, test_tls};
pub use workdir::{Output, Workdir};
