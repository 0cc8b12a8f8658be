//! List resource types (`terraform query`), one file each.
