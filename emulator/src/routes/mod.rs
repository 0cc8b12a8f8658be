//! HTTP routes, one module per API area.

pub mod admin;
pub mod conversations;
pub mod divisions;
pub mod oauth;
pub mod queues;
pub mod wrapup_codes;
