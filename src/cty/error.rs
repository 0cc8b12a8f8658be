use super::path::AttributePath;

/// Why a value could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CtyError {
    #[error("{path:?}: {message}")]
    Invalid {
        path: AttributePath,
        message: String,
    },
}
