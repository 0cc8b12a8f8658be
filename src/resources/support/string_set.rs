//! A `set(string)` attribute whose elements may be unknown while planning (e.g. the ID of a
//! resource not created yet), which `BTreeSet<String>` cannot hold.

use std::collections::BTreeSet;

use tfplugin_framework::TfValue;
use tfplugin_framework::cty::{AttributePath, PathStep, Type, Value};
use tfplugin_framework::model::{CtyConvert, ModelError};

/// The elements of a string set, each possibly unknown, in the order Terraform sent them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StringSet(pub Vec<TfValue<String>>);

impl StringSet {
    /// Every element, when all are known.
    pub fn known(&self) -> Option<BTreeSet<String>> {
        self.0.iter().map(|e| e.known().cloned()).collect()
    }

    /// The elements that are known.
    pub fn known_elements(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(TfValue::as_str)
    }

    /// A set of known strings.
    pub fn of(items: impl IntoIterator<Item = String>) -> Self {
        StringSet(items.into_iter().map(TfValue::Known).collect())
    }
}

impl CtyConvert for StringSet {
    fn cty_type() -> Type {
        Type::set(Type::String)
    }

    fn decode(value: &Value) -> Result<Self, ModelError> {
        match value.unwrap_dynamic() {
            Value::Set(elements) => elements
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    TfValue::<String>::decode(e)
                        .map_err(|error| error.within(PathStep::KeyInt(i as i64)))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(StringSet),
            other => Err(ModelError {
                path: AttributePath::new(),
                expected: Self::cty_type().to_string(),
                got: format!("{other:?}"),
            }),
        }
    }

    fn encode(&self) -> Value {
        Value::Set(self.0.iter().map(CtyConvert::encode).collect())
    }
}
