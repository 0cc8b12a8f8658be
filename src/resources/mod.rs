//! Managed resource types, one file each.
