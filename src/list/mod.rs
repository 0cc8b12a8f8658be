//! List resource types (`terraform query`), one file each.
pub mod routing_wrapupcode;
