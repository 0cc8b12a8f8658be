//! Documentation checks: the Registry pages under `docs/` match the provider's schema, and the
//! examples under `examples/` exist, are formatted and validate with the real Terraform CLI.
//! Run one suite with `cargo test --test docs docs_schema::`.

#[path = "../support/mod.rs"]
mod support;

mod docs_schema;
mod examples_validate;
mod guides;
