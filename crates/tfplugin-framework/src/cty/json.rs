//! The JSON encoding of values (facts §3.3), used for state read from disk
//! (`RawState.json`) and as a fallback when `DynamicValue.msgpack` is empty. Same shapes as
//! msgpack; `{"type":..,"value":..}` for values of type `dynamic`; no unknowns.
//!
//! Hand-written rather than via `serde_json::Value` so numbers keep their exact decimal text
//! without serde_json's workspace-wide `arbitrary_precision` feature (which would change
//! `serde_json::Number` for every crate in the build), and so errors carry the value path.
//! serde_json still decodes string escapes and encodes strings.

mod decode;
mod encode;

use super::{CtyError, Type, Value};

/// Decodes JSON bytes as a value of type `ty`. An object attribute absent from the JSON
/// decodes as null (state written by an older schema may lack newer optional attributes);
/// an attribute the type does not have is an error.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    decode::decode(bytes, ty)
}

/// Encodes `value` as JSON against type `ty` (fails on unknowns, which JSON cannot carry,
/// and on infinite numbers, which JSON has no syntax for).
pub fn encode_json(value: &Value, ty: &Type) -> Result<Vec<u8>, CtyError> {
    encode::encode(value, ty)
}
