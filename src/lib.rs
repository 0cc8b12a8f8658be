//! Terraform provider for Genesys Cloud.
//!
//! Three crates keep the layers apart, and the compiler enforces it:
//! - `tfplugin_framework`: the tfplugin6 protocol, cty, the go-plugin host and the traits a
//!   provider implements; knows nothing of Genesys.
//! - `genesys_client`: the typed Genesys Cloud Platform API v2 client; knows nothing of
//!   Terraform.
//! - this crate: [`provider`], [`resources`], [`data_sources`], [`list`] and [`actions`]
//!   translate between Terraform values and the views of [`platform`], the one seam through
//!   which they reach the API client.

pub mod actions;
pub mod data_sources;
pub mod list;
pub mod platform;
pub mod provider;
pub mod resources;
