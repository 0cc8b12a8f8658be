use super::{CtyError, Type, Value};

/// Decodes JSON bytes as a value of type `ty`.
pub fn decode_json(_bytes: &[u8], _ty: &Type) -> Result<Value, CtyError> {
    todo!("cty json decoder")
}

/// Encodes `value` as JSON against type `ty` (fails on unknowns, which JSON cannot carry).
pub fn encode_json(_value: &Value, _ty: &Type) -> Result<Vec<u8>, CtyError> {
    todo!("cty json encoder")
}
