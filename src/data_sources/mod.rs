//! Data source types, one file each.
pub mod conversations;
pub mod routing_queue;
pub mod routing_wrapupcode;
