/// One step of an attribute path, as in tfplugin6 `AttributePath.Step`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    Attribute(String),
    KeyString(String),
    KeyInt(i64),
}

/// A path to an attribute within a value, for diagnostics and `requires_replace`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    /// The path of a top-level attribute.
    pub fn root(name: impl Into<String>) -> Self {
        AttributePath(vec![PathStep::Attribute(name.into())])
    }
}
