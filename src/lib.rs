//! Terraform provider for Genesys Cloud.
//!
//! Layers, from Terraform down to the platform:
//! - [`plugin`]: go-plugin host (handshake, AutoMTLS, side services, logging).
//! - [`tfplugin`] and [`cty`]: the tfplugin6 protocol core; knows nothing of Genesys.
//! - [`provider`], [`resources`], [`data_sources`], [`list`], [`actions`]: translate between
//!   Terraform values and the platform views.
//! - [`platform`]: the one API client per provider process and the views the types use (wrap-up
//!   codes with the read cache, conversations), and the platform error.
//! - [`genesys`]: typed Genesys Cloud Platform API v2 client; knows nothing of Terraform.

pub mod actions;
pub mod cty;
pub mod data_sources;
pub mod genesys;
pub mod list;
pub mod platform;
pub mod plugin;
pub mod provider;
pub mod resources;
pub mod tfplugin;
