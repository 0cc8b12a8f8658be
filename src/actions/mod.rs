//! Terraform action types, one file each.

pub mod conversation_wrapup;
pub mod conversation_wrapup_backfill;
