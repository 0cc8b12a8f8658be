//! The value of a `sensitive` attribute in a model: decoded and encoded like its inner type,
//! but never shown by `Debug`, so a model holding a password or token can be logged safely.

use std::fmt;

use crate::cty::{Type, Value};
use crate::model::{CtyConvert, ModelError};

/// A model field for a `sensitive` attribute. `Debug` prints a placeholder; read the value
/// with [`Sensitive::expose`] only where it is used.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a sensitive value.
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The value itself.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The value itself, by value.
    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl<T: CtyConvert> CtyConvert for Sensitive<T> {
    fn cty_type() -> Type {
        T::cty_type()
    }
    fn decode(value: &Value) -> Result<Self, ModelError> {
        T::decode(value).map(Sensitive)
    }
    fn encode(&self) -> Value {
        self.0.encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TfValue;

    #[test]
    fn decodes_like_its_inner_type_and_never_shows_it() {
        let decoded =
            <TfValue<Sensitive<String>>>::decode(&Value::String("hunter2".into())).unwrap();
        assert_eq!(
            decoded.known().map(|s| s.expose().as_str()),
            Some("hunter2")
        );
        assert_eq!(format!("{decoded:?}"), "Known(Sensitive(<redacted>))");
        assert_eq!(decoded.encode(), Value::String("hunter2".into()));
        assert_eq!(<Sensitive<String>>::cty_type(), Type::String);
    }
}
