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

/// A cty value. Values do not carry their type, except under a `dynamic` type where the
/// concrete type is part of the wire encoding and is kept in [`Value::Dynamic`].
#[derive(Debug, Clone, PartialEq, Default)]
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
