//! HTTP routes, one module per API area.

pub mod admin;
pub mod admin_bulk;
pub mod admin_divisions;
pub mod admin_seed;
pub mod analytics;
pub mod chosen_id;
pub mod conversations;
pub mod divisions;
pub mod health;
pub mod oauth;
pub mod organization;
pub mod queue_wrapup_codes;
pub mod routing_queues;
pub mod wrapup_codes;
