//! The msgpack encoding Terraform uses for `DynamicValue.msgpack` (facts §3.2): values
//! shaped by their type, nil for null, any extension for unknown (12 = refined), and
//! `[type JSON as bin, value]` pairs for values of type `dynamic`.

mod decode;
mod encode;

use super::{CtyError, Type, Value};

/// Extension code of a plain unknown (`d4 00 00`).
const EXT_UNKNOWN: i8 = 0;
/// Extension code of an unknown with refinements (an int-keyed map payload).
const EXT_REFINED_UNKNOWN: i8 = 12;

/// Refinement map keys.
const KEY_NULLABLE: i64 = 1;
const KEY_STRING_PREFIX: i64 = 2;
const KEY_NUMBER_LOWER: i64 = 3;
const KEY_NUMBER_UPPER: i64 = 4;
const KEY_LENGTH_MIN: i64 = 5;
const KEY_LENGTH_MAX: i64 = 6;

/// Decodes msgpack bytes as a value of type `ty`. Every object attribute must be present
/// (Terraform always sends them all); errors name the path where decoding failed.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    decode::decode(bytes, ty)
}

/// Encodes `value` as msgpack against type `ty`. The value must conform to the type (see
/// [`Value::conforms_to`]); values under `dynamic` without a [`Value::Dynamic`] wrapper
/// get their inferred type.
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, CtyError> {
    encode::encode(value, ty)
}

/// Drops refinements that do not apply to `ty` (prefixes only refine strings, bounds
/// numbers, lengths collections; unknowns of type `dynamic` carry none), so what we emit
/// is always meaningful to Terraform and decoding and encoding agree.
fn applicable(refinements: &super::Refinements, ty: &Type) -> super::Refinements {
    let mut r = refinements.clone();
    if *ty == Type::Dynamic {
        return super::Refinements::default();
    }
    if *ty != Type::String {
        r.string_prefix = None;
    }
    if *ty != Type::Number {
        r.number_lower = None;
        r.number_upper = None;
    }
    if !matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_)) {
        r.length_min = None;
        r.length_max = None;
    }
    r
}

#[cfg(test)]
mod vectors;
