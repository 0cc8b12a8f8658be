use std::collections::BTreeMap;

use rmp::Marker;

use super::{
    EXT_REFINED_UNKNOWN, KEY_LENGTH_MAX, KEY_LENGTH_MIN, KEY_NULLABLE, KEY_NUMBER_LOWER,
    KEY_NUMBER_UPPER, KEY_STRING_PREFIX, applicable,
};
use crate::cty::set::distinct_elements;
use crate::cty::{AttributePath, CtyError, MAX_DEPTH, Number, PathStep, Refinements, Type, Value};

pub(super) fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        path: AttributePath::new(),
    };
    let value = reader.value(ty, 0)?;
    if reader.pos != bytes.len() {
        return Err(reader.error(format!(
            "{} unexpected bytes after the value",
            bytes.len() - reader.pos
        )));
    }
    Ok(value)
}

/// A cursor over msgpack bytes that knows where in the value it is.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: AttributePath,
}

impl<'a> Reader<'a> {
    fn error(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn peek_marker(&self) -> Result<Marker, CtyError> {
        self.bytes
            .get(self.pos)
            .map(|&b| Marker::from_u8(b))
            .ok_or_else(|| self.error("unexpected end of msgpack data"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CtyError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.error("unexpected end of msgpack data"))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], CtyError> {
        let slice = self.take(N)?;
        Ok(slice.try_into().expect("take(N) returns exactly N bytes"))
    }

    fn read_u8(&mut self) -> Result<u8, CtyError> {
        Ok(self.take_array::<1>()?[0])
    }

    fn read_u16(&mut self) -> Result<u16, CtyError> {
        Ok(u16::from_be_bytes(self.take_array()?))
    }

    fn read_u32(&mut self) -> Result<u32, CtyError> {
        Ok(u32::from_be_bytes(self.take_array()?))
    }

    fn read_u64(&mut self) -> Result<u64, CtyError> {
        Ok(u64::from_be_bytes(self.take_array()?))
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn with_step<T>(
        &mut self,
        step: PathStep,
        f: impl FnOnce(&mut Self) -> Result<T, CtyError>,
    ) -> Result<T, CtyError> {
        self.path.push(step);
        let result = f(self)?;
        self.path.pop();
        Ok(result)
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("value is nested more than {MAX_DEPTH} levels deep")));
        }
        match self.peek_marker()? {
            Marker::Null => {
                self.pos += 1;
                return Ok(Value::Null);
            }
            Marker::FixExt1
            | Marker::FixExt2
            | Marker::FixExt4
            | Marker::FixExt8
            | Marker::FixExt16
            | Marker::Ext8
            | Marker::Ext16
            | Marker::Ext32 => return self.unknown(ty),
            _ => {}
        }
        match ty {
            Type::String => Ok(Value::String(self.string("a string")?)),
            Type::Number => Ok(Value::Number(self.number()?)),
            Type::Bool => Ok(Value::Bool(self.bool("a bool")?)),
            Type::List(element) => Ok(Value::List(self.elements(element, depth)?)),
            Type::Set(element) => Ok(Value::Set(distinct_elements(
                self.elements(element, depth)?,
            ))),
            Type::Tuple(types) => {
                let len = self.array_len("a tuple")?;
                if len != types.len() {
                    return Err(self.error(format!(
                        "expected a tuple of {} elements, got {len}",
                        types.len()
                    )));
                }
                let items = types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        self.with_step(PathStep::KeyInt(i as i64), |r| r.value(t, depth + 1))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Value::Tuple(items))
            }
            Type::Map(element) => {
                let len = self.map_len("a map")?;
                let mut entries = BTreeMap::new();
                for _ in 0..len {
                    let key = self.string("a map key")?;
                    if entries.contains_key(&key) {
                        return Err(self.error(format!("duplicate map key {key:?}")));
                    }
                    let v = self.with_step(PathStep::KeyString(key.clone()), |r| {
                        r.value(element, depth + 1)
                    })?;
                    entries.insert(key, v);
                }
                Ok(Value::Map(entries))
            }
            Type::Object { attributes, .. } => {
                let len = self.map_len("an object")?;
                let mut entries = BTreeMap::new();
                for _ in 0..len {
                    let name = self.string("an attribute name")?;
                    let Some(attr_ty) = attributes.get(&name) else {
                        return Err(
                            self.error(format!("unsupported attribute {name:?} (not in {ty})"))
                        );
                    };
                    if entries.contains_key(&name) {
                        return Err(self.error(format!("duplicate attribute {name:?}")));
                    }
                    let v = self.with_step(PathStep::Attribute(name.clone()), |r| {
                        r.value(attr_ty, depth + 1)
                    })?;
                    entries.insert(name, v);
                }
                if let Some(missing) = attributes.keys().find(|name| !entries.contains_key(*name)) {
                    let path = self.path.clone().attribute(missing.clone());
                    return Err(CtyError::at(&path, "attribute is missing"));
                }
                Ok(Value::Object(entries))
            }
            Type::Dynamic => {
                let len = self.array_len("a [type, value] pair for a dynamic value")?;
                if len != 2 {
                    return Err(self.error(format!(
                        "a dynamic value is a [type, value] pair, got an array of {len}"
                    )));
                }
                let type_json = self.bytes_or_string("the type JSON of a dynamic value")?;
                let inner_ty = Type::from_json_at(type_json, &self.path)?;
                let inner = self.value(&inner_ty, depth + 1)?;
                Ok(Value::dynamic_decoded(inner_ty, inner))
            }
        }
    }

    fn elements(&mut self, element: &Type, depth: usize) -> Result<Vec<Value>, CtyError> {
        let len = self.array_len("an array")?;
        let mut items = Vec::with_capacity(len.min(self.remaining()));
        for i in 0..len {
            let v = self.with_step(PathStep::KeyInt(i as i64), |r| r.value(element, depth + 1))?;
            items.push(v);
        }
        Ok(items)
    }

    fn unexpected(&self, wanted: &str, got: Marker) -> CtyError {
        let got = match got {
            Marker::FixPos(_) | Marker::FixNeg(_) => "an integer",
            Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => "an integer",
            Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => "an integer",
            Marker::F32 | Marker::F64 => "a float",
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "a string",
            Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "binary data",
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "an array",
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "a map",
            Marker::True | Marker::False => "a bool",
            Marker::Null => "nil",
            Marker::Reserved => "the reserved byte 0xc1",
            _ => "an extension",
        };
        self.error(format!("expected {wanted}, got msgpack {got}"))
    }

    fn array_len(&mut self, wanted: &str) -> Result<usize, CtyError> {
        let len = match self.peek_marker()? {
            Marker::FixArray(n) => {
                self.pos += 1;
                u32::from(n)
            }
            Marker::Array16 => {
                self.pos += 1;
                u32::from(self.read_u16()?)
            }
            Marker::Array32 => {
                self.pos += 1;
                self.read_u32()?
            }
            other => return Err(self.unexpected(wanted, other)),
        };
        Ok(len as usize)
    }

    fn map_len(&mut self, wanted: &str) -> Result<usize, CtyError> {
        let len = match self.peek_marker()? {
            Marker::FixMap(n) => {
                self.pos += 1;
                u32::from(n)
            }
            Marker::Map16 => {
                self.pos += 1;
                u32::from(self.read_u16()?)
            }
            Marker::Map32 => {
                self.pos += 1;
                self.read_u32()?
            }
            other => return Err(self.unexpected(wanted, other)),
        };
        Ok(len as usize)
    }

    /// The payload of a msgpack str or bin.
    fn bytes_or_string(&mut self, wanted: &str) -> Result<&'a [u8], CtyError> {
        let len = match self.peek_marker()? {
            Marker::FixStr(n) => {
                self.pos += 1;
                usize::from(n)
            }
            Marker::Str8 | Marker::Bin8 => {
                self.pos += 1;
                usize::from(self.read_u8()?)
            }
            Marker::Str16 | Marker::Bin16 => {
                self.pos += 1;
                usize::from(self.read_u16()?)
            }
            Marker::Str32 | Marker::Bin32 => {
                self.pos += 1;
                self.read_u32()? as usize
            }
            other => return Err(self.unexpected(wanted, other)),
        };
        self.take(len)
    }

    /// A UTF-8 string (str, or bin holding UTF-8, as cty's decoder also accepts).
    fn string(&mut self, wanted: &str) -> Result<String, CtyError> {
        let bytes = self.bytes_or_string(wanted)?;
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| self.error(format!("{wanted} is not valid UTF-8")))
    }

    /// A number as int, uint, float or decimal string.
    fn number(&mut self) -> Result<Number, CtyError> {
        let marker = self.peek_marker()?;
        let number = match marker {
            Marker::FixPos(n) => {
                self.pos += 1;
                Number::from(u64::from(n))
            }
            Marker::FixNeg(n) => {
                self.pos += 1;
                Number::from(i64::from(n))
            }
            Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => {
                self.pos += 1;
                let v = match marker {
                    Marker::U8 => u64::from(self.read_u8()?),
                    Marker::U16 => u64::from(self.read_u16()?),
                    Marker::U32 => u64::from(self.read_u32()?),
                    _ => self.read_u64()?,
                };
                Number::from(v)
            }
            Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => {
                self.pos += 1;
                let v = match marker {
                    Marker::I8 => i64::from(self.read_u8()? as i8),
                    Marker::I16 => i64::from(self.read_u16()? as i16),
                    Marker::I32 => i64::from(self.read_u32()? as i32),
                    _ => self.read_u64()? as i64,
                };
                Number::from(v)
            }
            Marker::F32 | Marker::F64 => {
                self.pos += 1;
                let f = if marker == Marker::F32 {
                    f64::from(f32::from_bits(self.read_u32()?))
                } else {
                    f64::from_bits(self.read_u64()?)
                };
                Number::from_f64(f).map_err(|e| self.error(e.to_string()))?
            }
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                let text = self.string("a number")?;
                Number::parse(&text).map_err(|e| self.error(e.to_string()))?
            }
            other => return Err(self.unexpected("a number", other)),
        };
        Ok(number)
    }

    /// Any extension is an unknown; code 12 carries refinements.
    fn unknown(&mut self, ty: &Type) -> Result<Value, CtyError> {
        let (code, payload) = self.extension()?;
        if code != EXT_REFINED_UNKNOWN {
            return Ok(Value::Unknown(Refinements::default()));
        }
        let mut sub = Reader {
            bytes: payload,
            pos: 0,
            path: self.path.clone(),
        };
        let refinements = sub.refinements()?;
        Ok(Value::Unknown(applicable(&refinements, ty)))
    }

    /// The code and payload of an extension.
    fn extension(&mut self) -> Result<(i8, &'a [u8]), CtyError> {
        let marker = self.peek_marker()?;
        self.pos += 1;
        let len = match marker {
            Marker::FixExt1 => 1,
            Marker::FixExt2 => 2,
            Marker::FixExt4 => 4,
            Marker::FixExt8 => 8,
            Marker::FixExt16 => 16,
            Marker::Ext8 => usize::from(self.read_u8()?),
            Marker::Ext16 => usize::from(self.read_u16()?),
            Marker::Ext32 => self.read_u32()? as usize,
            other => return Err(self.unexpected("an extension", other)),
        };
        let code = self.read_u8()? as i8;
        Ok((code, self.take(len)?))
    }

    fn refinements(&mut self) -> Result<Refinements, CtyError> {
        let mut r = Refinements::default();
        if self.remaining() == 0 {
            return Ok(r);
        }
        let len = self.map_len("a refinement map")?;
        for _ in 0..len {
            let key = match self.peek_marker()? {
                Marker::FixPos(_)
                | Marker::FixNeg(_)
                | Marker::U8
                | Marker::U16
                | Marker::U32
                | Marker::U64
                | Marker::I8
                | Marker::I16
                | Marker::I32
                | Marker::I64 => self.number()?.as_i64(),
                _ => {
                    self.skip(0)?;
                    None
                }
            };
            match key {
                Some(KEY_NULLABLE) => r.nullable = Some(self.bool("a bool for nullness")?),
                Some(KEY_STRING_PREFIX) => r.string_prefix = Some(self.string("a string prefix")?),
                Some(KEY_NUMBER_LOWER) => r.number_lower = Some(self.bound()?),
                Some(KEY_NUMBER_UPPER) => r.number_upper = Some(self.bound()?),
                Some(KEY_LENGTH_MIN) => r.length_min = Some(self.length()?),
                Some(KEY_LENGTH_MAX) => r.length_max = Some(self.length()?),
                _ => self.skip(0)?,
            }
        }
        Ok(r)
    }

    fn bool(&mut self, wanted: &str) -> Result<bool, CtyError> {
        match self.peek_marker()? {
            Marker::True | Marker::False => Ok(self.read_u8()? == 0xc3),
            other => Err(self.unexpected(wanted, other)),
        }
    }

    /// A `[number, inclusive]` bound. Read without [`Reader::value`] so that extensions
    /// inside refinement payloads are never interpreted (no unbounded recursion).
    fn bound(&mut self) -> Result<(Number, bool), CtyError> {
        if self.array_len("a [number, bool] bound")? != 2 {
            return Err(self.error("a number bound must be [number, bool]"));
        }
        let number = self.number()?;
        Ok((number, self.bool("a bool for bound inclusiveness")?))
    }

    fn length(&mut self) -> Result<u64, CtyError> {
        self.number()?
            .as_u64()
            .ok_or_else(|| self.error("a length refinement must be a non-negative integer"))
    }

    /// Skips one msgpack object of any kind.
    fn skip(&mut self, depth: usize) -> Result<(), CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("value is nested more than {MAX_DEPTH} levels deep")));
        }
        let marker = self.peek_marker()?;
        match marker {
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => {
                let len = self.array_len("an array")?;
                for _ in 0..len {
                    self.skip(depth + 1)?;
                }
            }
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => {
                let len = self.map_len("a map")?;
                for _ in 0..len {
                    self.skip(depth + 1)?;
                    self.skip(depth + 1)?;
                }
            }
            Marker::FixStr(_)
            | Marker::Str8
            | Marker::Str16
            | Marker::Str32
            | Marker::Bin8
            | Marker::Bin16
            | Marker::Bin32 => {
                self.bytes_or_string("a string")?;
            }
            Marker::FixExt1
            | Marker::FixExt2
            | Marker::FixExt4
            | Marker::FixExt8
            | Marker::FixExt16
            | Marker::Ext8
            | Marker::Ext16
            | Marker::Ext32 => {
                self.extension()?;
            }
            Marker::Null | Marker::True | Marker::False => self.pos += 1,
            Marker::Reserved => return Err(self.unexpected("a msgpack value", marker)),
            _ => {
                self.number()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_attribute_error_names_the_attribute() {
        let ty = Type::object([("a", Type::String), ("b", Type::String)]);
        // {"a": "x"}
        let err = decode(&[0x81, 0xa1, b'a', 0xa1, b'x'], &ty).unwrap_err();
        assert_eq!(err.to_string(), "b: attribute is missing");
    }

    #[test]
    fn extra_attribute_is_an_error() {
        let ty = Type::object([("a", Type::String)]);
        // {"a": nil, "z": nil}
        let err = decode(&[0x82, 0xa1, b'a', 0xc0, 0xa1, b'z', 0xc0], &ty).unwrap_err();
        assert!(
            err.to_string().contains("unsupported attribute \"z\""),
            "{err}"
        );
    }

    #[test]
    fn type_mismatch_error_carries_the_nested_path() {
        let ty = Type::object([("tags", Type::map(Type::String))]);
        // {"tags": {"k": 1}}
        let bytes = [0x81, 0xa4, b't', b'a', b'g', b's', 0x81, 0xa1, b'k', 0x01];
        let err = decode(&bytes, &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"tags["k"]: expected a string, got msgpack an integer"#
        );
    }

    #[test]
    fn truncated_and_trailing_bytes_are_errors() {
        assert!(decode(&[0xa3, b'a'], &Type::String).is_err());
        assert!(decode(&[], &Type::String).is_err());
        assert!(decode(&[0xc0, 0xc0], &Type::String).is_err());
        assert!(decode(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::String)).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut ty = Type::String;
        for _ in 0..200 {
            ty = Type::list(ty);
        }
        let mut bytes = vec![0x91; 200];
        bytes.push(0xc0);
        let err = decode(&bytes, &ty).unwrap_err();
        assert!(err.message().contains("nested"), "{err}");
    }
}
