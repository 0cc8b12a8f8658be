//! What resource, data source, list and action types share: identifier rules and string sets,
//! and (from the platform layer, [`crate::platform`]) the wrap-up code view and seam, the
//! shared client view and the platform error with its diagnostics. Attribute access lives in
//! the typed models (`tfplugin_framework::model`).

mod ids;
mod platform_diagnostics;
mod string_set;

pub use crate::platform::{
    ApiFailure, ClientView, PlatformError, WrapupCodeFields, WrapupCodeRecord, WrapupCodeStore,
};
pub use ids::is_uuid;
pub use platform_diagnostics::PlatformDiagnostics;
pub use string_set::StringSet;
