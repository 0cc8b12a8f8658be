//! Managed resource types, one file each.

pub mod conversation_wrapup;
pub mod routing_wrapupcode;
pub mod support;
pub mod wrapup_apply;
