//! Managed resource types, one module each (a file, or a folder when it has parts).

pub mod conversation_wrapup;
pub mod routing_queue_wrapupcodes;
pub mod routing_wrapupcode;
pub mod support;
