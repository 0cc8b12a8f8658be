use super::{CtyError, Type, Value};

/// Decodes msgpack bytes as a value of type `ty`.
pub fn decode_msgpack(_bytes: &[u8], _ty: &Type) -> Result<Value, CtyError> {
    todo!("cty msgpack decoder")
}

/// Encodes `value` as msgpack against type `ty`.
pub fn encode_msgpack(_value: &Value, _ty: &Type) -> Result<Vec<u8>, CtyError> {
    todo!("cty msgpack encoder")
}
