//! HTTP routes, one module per API area.

pub mod admin;
pub mod admin_bulk;
pub mod analytics;
pub mod conversations;
pub mod divisions;
pub mod oauth;
pub mod organization;
pub mod queues;
pub mod routing_queues;
pub mod wrapup_codes;
