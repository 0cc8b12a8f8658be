//! Data source types, one file each.
pub mod routing_wrapupcode;
