use super::path::AttributePath;

/// Why a value could not be encoded, decoded or checked against a type. `path` points at
/// the offending part of the value (empty for the value as a whole).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CtyError {
    #[error("{}", render(.path, .message))]
    Invalid {
        path: AttributePath,
        message: String,
    },
}

impl CtyError {
    /// An error at `path`.
    pub fn at(path: &AttributePath, message: impl Into<String>) -> Self {
        CtyError::Invalid {
            path: path.clone(),
            message: message.into(),
        }
    }

    /// Where in the value the problem is.
    pub fn path(&self) -> &AttributePath {
        match self {
            CtyError::Invalid { path, .. } => path,
        }
    }

    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        match self {
            CtyError::Invalid { message, .. } => message,
        }
    }
}

fn render(path: &AttributePath, message: &str) -> String {
    if path.is_empty() {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }
}
