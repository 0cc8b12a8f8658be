//! End-to-end suites: the real Terraform CLI (or the provider binary, or the provider's
//! resource code in-process) against the emulator. One test binary, one module per suite;
//! run one suite with `cargo test --test e2e wrapupcode_lifecycle::`.
//! `tests/support/` is the shared Terraform harness; `*_common` hold what a type's suites share.

#[path = "../support/mod.rs"]
mod support;

mod conversation_wrapup_common;
mod wrapupcode_common;

mod alongside_official;
mod api_calls;
mod backfill;
mod backfill_refresh;
mod chaos;
mod conversation_wrapup_action;
mod conversation_wrapup_equivalent_forms;
mod conversation_wrapup_errors;
mod conversation_wrapup_examples;
mod conversation_wrapup_media;
mod conversation_wrapup_planning;
mod conversation_wrapup_platform;
mod conversation_wrapup_proof;
mod empty_root;
mod interrupts;
mod logging_secrets;
mod paced_refresh;
mod partial_apply;
mod provider_binary;
mod provider_config;
mod provider_debug;
mod provider_harness;
mod provider_schema;
mod queue_codes_at_scale;
mod release_init;
mod terraform_versions;
mod tls_roots;
mod wrapup_backfill_action;
mod wrapupcode_data_source;
mod wrapupcode_divisions;
mod wrapupcode_equivalent_forms;
mod wrapupcode_faults;
mod wrapupcode_import;
mod wrapupcode_lifecycle;
mod wrapupcode_ownership;
mod wrapupcode_platform;
mod wrapupcode_query;
mod wrapupcode_refresh;
mod wrapupcode_validation;
