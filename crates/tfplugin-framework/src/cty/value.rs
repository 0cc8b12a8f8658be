use std::collections::BTreeMap;

use super::number::Number;
use super::types::Type;

/// Refinements of an unknown value (msgpack extension 12). All fields are optional; an
/// unknown with no refinements is encoded as extension 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Refinements {
    /// `Some(false)` means "definitely not null".
    pub nullable: Option<bool>,
    pub string_prefix: Option<String>,
    /// Bound and whether it is inclusive.
    pub number_lower: Option<(Number, bool)>,
    pub number_upper: Option<(Number, bool)>,
    pub length_min: Option<u64>,
    pub length_max: Option<u64>,
}

impl Refinements {
    /// True when nothing is refined (the unknown is encoded as plain extension 0).
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

/// A cty value. Values do not carry their type, except under a `dynamic` type where the
/// concrete type is part of the wire encoding and is kept in [`Value::Dynamic`].
///
/// `==` compares values as data: structurally, with numbers by numeric value, sets as
/// multisets (element order ignored), unknowns equal when their refinements are equal, and
/// a `Dynamic` wrapper equal only to a wrapper with the same type. It is not cty's
/// three-valued `Equals` (where anything compared with an unknown is unknown).
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Unknown(Refinements),
    String(String),
    Number(Number),
    Bool(bool),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A value decoded against (or to be encoded as) `dynamic`, with its concrete type.
    Dynamic(Type, Box<Value>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Unknown(a), Value::Unknown(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => same_elements(a, b),
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => a == b,
            (Value::Dynamic(ta, a), Value::Dynamic(tb, b)) => ta == tb && a == b,
            _ => false,
        }
    }
}

/// Multiset equality (quadratic; sets in provider values are small).
fn same_elements(a: &[Value], b: &[Value]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    a.iter().all(|x| {
        let found = (0..b.len()).find(|&i| !used[i] && b[i] == *x);
        found.map(|i| used[i] = true).is_some()
    })
}

impl Value {
    /// A known string.
    pub fn string(s: impl Into<String>) -> Self {
        Value::String(s.into())
    }

    /// A known number, e.g. `Value::number(42)`.
    pub fn number(n: impl Into<Number>) -> Self {
        Value::Number(n.into())
    }

    /// A known bool.
    pub fn bool(b: bool) -> Self {
        Value::Bool(b)
    }

    /// A wholly unknown value without refinements.
    pub fn unknown() -> Self {
        Value::Unknown(Refinements::default())
    }

    /// An unknown value known not to be null (Terraform shows it as "known after apply"
    /// and may rely on it being set).
    pub fn unknown_not_null() -> Self {
        Value::Unknown(Refinements {
            nullable: Some(false),
            ..Refinements::default()
        })
    }

    /// An object value from `(name, value)` pairs: `Value::object([("id", "x".into())])`.
    pub fn object<I, K>(attributes: I) -> Self
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Object(attributes.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A map value from `(key, value)` pairs.
    pub fn map<I, K>(entries: I) -> Self
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A list value.
    pub fn list(elements: impl IntoIterator<Item = Value>) -> Self {
        Value::List(elements.into_iter().collect())
    }

    /// A set value (callers keep elements distinct; order does not matter).
    pub fn set(elements: impl IntoIterator<Item = Value>) -> Self {
        Value::Set(elements.into_iter().collect())
    }

    /// A tuple value.
    pub fn tuple(elements: impl IntoIterator<Item = Value>) -> Self {
        Value::Tuple(elements.into_iter().collect())
    }

    /// A value of concrete type `ty` for an attribute declared `dynamic`.
    pub fn dynamic(ty: Type, value: Value) -> Self {
        Value::Dynamic(ty, Box::new(value))
    }

    /// The value a decoder builds from a `[type, value]` pair read under `dynamic`. A pair
    /// whose declared type is itself `dynamic` adds nothing (as in cty, only null and unknown
    /// values have that type, and anything else inside is another pair), so the inner value
    /// is returned as is: nested pairs decode, and re-encode, like the innermost one.
    pub(crate) fn dynamic_decoded(ty: Type, value: Value) -> Self {
        if ty == Type::Dynamic {
            value
        } else {
            Value::dynamic(ty, value)
        }
    }

    /// True when the value itself is null (looks through a `Dynamic` wrapper).
    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Dynamic(_, v) => v.is_null(),
            _ => false,
        }
    }

    /// True when the value itself is unknown (not whether something inside it is; see
    /// [`Value::is_wholly_known`]). Looks through a `Dynamic` wrapper.
    pub fn is_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::Dynamic(_, v) => v.is_unknown(),
            _ => false,
        }
    }

    /// True when neither the value nor anything nested in it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Dynamic(_, v) => v.is_wholly_known(),
        }
    }

    /// The value inside a `Dynamic` wrapper, or the value itself.
    pub fn unwrap_dynamic(&self) -> &Value {
        match self {
            Value::Dynamic(_, v) => v.unwrap_dynamic(),
            other => other,
        }
    }

    /// An object's attribute (`None` if this is not an object or has no such attribute).
    pub fn get_attr(&self, name: &str) -> Option<&Value> {
        match self.unwrap_dynamic() {
            Value::Object(attributes) => attributes.get(name),
            _ => None,
        }
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self.unwrap_dynamic() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bool, if this is a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self.unwrap_dynamic() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self.unwrap_dynamic() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as `i64`, if this is a known whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The elements of a known list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self.unwrap_dynamic() {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a known map or object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self.unwrap_dynamic() {
            Value::Map(entries) | Value::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// A string attribute of an object; `None` if missing, null, unknown or not a string.
    pub fn attr_str(&self, name: &str) -> Option<&str> {
        self.get_attr(name).and_then(Value::as_str)
    }

    /// A bool attribute of an object; `None` if missing, null, unknown or not a bool.
    pub fn attr_bool(&self, name: &str) -> Option<bool> {
        self.get_attr(name).and_then(Value::as_bool)
    }

    /// A whole-number attribute of an object; `None` if missing, null, unknown, not a
    /// number or not an `i64`.
    pub fn attr_i64(&self, name: &str) -> Option<i64> {
        self.get_attr(name).and_then(Value::as_i64)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Number(n.into())
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

/// `None` becomes null, which is how optional API fields map to attributes.
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_equality_ignores_order_but_list_equality_does_not() {
        let a = Value::set(["x".into(), "y".into(), "y".into()]);
        let b = Value::set(["y".into(), "x".into(), "y".into()]);
        let c = Value::set(["y".into(), "x".into(), "x".into()]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(
            Value::list(["x".into(), "y".into()]),
            Value::list(["y".into(), "x".into()])
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        let one: Number = "1.0".parse().unwrap();
        assert_eq!(Value::number(one), Value::from(1i64));
    }

    #[test]
    fn accessors_return_none_for_null_unknown_and_missing() {
        let v = Value::object([
            ("name", Value::from("a")),
            ("gone", Value::Null),
            ("later", Value::unknown()),
            ("on", true.into()),
            ("count", 3i64.into()),
        ]);
        assert_eq!(v.attr_str("name"), Some("a"));
        assert_eq!(v.attr_str("gone"), None);
        assert_eq!(v.attr_str("later"), None);
        assert_eq!(v.attr_str("missing"), None);
        assert_eq!(v.attr_str("on"), None);
        assert_eq!(v.attr_bool("on"), Some(true));
        assert_eq!(v.attr_i64("count"), Some(3));
        assert!(v.get_attr("later").unwrap().is_unknown());
        assert!(!v.is_unknown());
        assert!(!v.is_wholly_known());
        assert!(Value::from(None::<String>).is_null());
        assert_eq!(Value::from(Some("z")), Value::from("z"));
    }

    #[test]
    fn dynamic_wrapper_is_transparent_to_accessors() {
        let v = Value::dynamic(Type::String, "hi".into());
        assert_eq!(v.as_str(), Some("hi"));
        assert!(!v.is_null());
        assert!(Value::dynamic(Type::String, Value::Null).is_null());
        assert_ne!(v, Value::from("hi"));
    }
}
