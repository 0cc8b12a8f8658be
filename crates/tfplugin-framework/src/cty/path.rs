use std::fmt;

/// One step of an attribute path, as in tfplugin6 `AttributePath.Step`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    Attribute(String),
    KeyString(String),
    KeyInt(i64),
}

/// A path to an attribute within a value, for diagnostics and `requires_replace`.
///
/// Built fluently: `AttributePath::root("tags").key_string("env")` displays as `tags["env"]`,
/// `AttributePath::root("items").key_int(0).attribute("name")` as `items[0].name`.
/// Set elements have no key in the protocol; our decoders name them by position (`[i]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    /// The empty path: the value itself.
    pub fn new() -> Self {
        AttributePath(Vec::new())
    }

    /// The path of a top-level attribute.
    pub fn root(name: impl Into<String>) -> Self {
        AttributePath(vec![PathStep::Attribute(name.into())])
    }

    /// This path extended by an attribute name (`a.b`).
    pub fn attribute(mut self, name: impl Into<String>) -> Self {
        self.0.push(PathStep::Attribute(name.into()));
        self
    }

    /// This path extended by a map key (`a["k"]`).
    pub fn key_string(mut self, key: impl Into<String>) -> Self {
        self.0.push(PathStep::KeyString(key.into()));
        self
    }

    /// This path extended by a list, tuple or set position (`a[0]`).
    pub fn key_int(mut self, index: i64) -> Self {
        self.0.push(PathStep::KeyInt(index));
        self
    }

    /// The steps from the root.
    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }

    /// True for the empty path.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn push(&mut self, step: PathStep) {
        self.0.push(step);
    }

    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }
}

impl fmt::Display for AttributePath {
    /// Terraform-style rendering: `a.b`, `tags["x"]`, `items[0]`; the empty path is `(root)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => f.write_str(name)?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::KeyString(key) => write!(f, "[{key:?}]")?,
                PathStep::KeyInt(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_like_terraform_references() {
        assert_eq!(AttributePath::root("name").to_string(), "name");
        assert_eq!(
            AttributePath::root("tags").key_string("x").to_string(),
            r#"tags["x"]"#
        );
        assert_eq!(
            AttributePath::root("items")
                .key_int(0)
                .attribute("id")
                .to_string(),
            "items[0].id"
        );
        assert_eq!(
            AttributePath::root("m").key_string("a\"b").to_string(),
            r#"m["a\"b"]"#
        );
        assert_eq!(AttributePath::new().to_string(), "(root)");
    }
}
