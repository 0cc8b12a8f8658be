//! Terraform action types, one file each.

pub mod conversation_wrapup;
