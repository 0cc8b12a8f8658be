//! What resource, data source, list and action types share, one module each: the wrap-up
//! code view of the platform and its seam, platform errors, their mapping to diagnostics, and
//! identifier rules. Attribute access lives in the typed models (`tfplugin::model`).

mod client_handle;
mod diagnostics;
mod ids;
mod platform_error;
mod string_set;
mod wrapup_code_api;

pub use client_handle::ClientHandle;
pub use ids::is_uuid;
pub use platform_error::{ApiFailure, PlatformError};
pub use string_set::StringSet;
pub use wrapup_code_api::{WrapupCode, WrapupCodeApi, WrapupCodeInput};
