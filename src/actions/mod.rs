//! Terraform action types, one file each.
