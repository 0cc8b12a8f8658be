//! Managed resource types, one file each.

pub mod routing_wrapupcode;
pub mod support;
