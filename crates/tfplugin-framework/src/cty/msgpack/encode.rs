use rmp::encode as mp;

use super::{
    EXT_REFINED_UNKNOWN, EXT_UNKNOWN, KEY_LENGTH_MAX, KEY_LENGTH_MIN, KEY_NULLABLE,
    KEY_NUMBER_LOWER, KEY_NUMBER_UPPER, KEY_STRING_PREFIX, applicable,
};
use crate::cty::conform::kind_name;
use crate::cty::{AttributePath, CtyError, MAX_DEPTH, Number, PathStep, Refinements, Type, Value};

pub(super) fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CtyError> {
    let mut writer = Writer {
        out: Vec::new(),
        path: AttributePath::new(),
    };
    writer.value(value, ty, 0)?;
    Ok(writer.out)
}

/// Writes msgpack into memory while tracking where in the value it is.
struct Writer {
    out: Vec<u8>,
    path: AttributePath,
}

impl Writer {
    fn error(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn len_u32(&self, len: usize) -> Result<u32, CtyError> {
        u32::try_from(len).map_err(|_| self.error("too many elements for msgpack"))
    }

    fn value(&mut self, value: &Value, ty: &Type, depth: usize) -> Result<(), CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("value is nested more than {MAX_DEPTH} levels deep")));
        }
        match (value, ty) {
            (Value::Null, _) => mp::write_nil(&mut self.out).map_err(|e| self.error(e.to_string())),
            (Value::Unknown(r), _) => self.unknown(r, ty),
            // Like cty, nulls and unknowns under `dynamic` are bare: their type is dropped.
            (Value::Dynamic(_, inner), Type::Dynamic)
                if matches!(**inner, Value::Null | Value::Unknown(_)) =>
            {
                self.value(inner, ty, depth + 1)
            }
            (Value::Dynamic(inner_ty, inner), Type::Dynamic) => {
                self.dynamic(inner, inner_ty, depth)
            }
            (other, Type::Dynamic) => {
                let inferred = other.infer_type().ok_or_else(|| {
                    self.error("cannot tell the type of this value; wrap it in Value::Dynamic")
                })?;
                self.dynamic(other, &inferred, depth)
            }
            (Value::Dynamic(inner_ty, inner), _) if inner_ty == ty => {
                self.value(inner, ty, depth + 1)
            }
            (Value::String(s), Type::String) => self.str(s),
            (Value::Number(n), Type::Number) => self.number(n),
            (Value::Bool(b), Type::Bool) => {
                mp::write_bool(&mut self.out, *b).map_err(|e| self.error(e.to_string()))
            }
            (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
                self.array_len(items.len())?;
                for (i, item) in items.iter().enumerate() {
                    self.path.push(PathStep::KeyInt(i as i64));
                    self.value(item, element, depth + 1)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Tuple(items), Type::Tuple(types)) => {
                if items.len() != types.len() {
                    return Err(self.error(format!(
                        "expected a tuple of {} elements, got {}",
                        types.len(),
                        items.len()
                    )));
                }
                self.array_len(items.len())?;
                for (i, (item, t)) in items.iter().zip(types).enumerate() {
                    self.path.push(PathStep::KeyInt(i as i64));
                    self.value(item, t, depth + 1)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Map(entries), Type::Map(element)) => {
                self.map_len(entries.len())?;
                for (key, item) in entries {
                    self.str(key)?;
                    self.path.push(PathStep::KeyString(key.clone()));
                    self.value(item, element, depth + 1)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Object(entries), Type::Object { attributes, .. }) => {
                if let Some(extra) = entries.keys().find(|k| !attributes.contains_key(*k)) {
                    return Err(
                        self.error(format!("unsupported attribute {extra:?} (not in {ty})"))
                    );
                }
                self.map_len(attributes.len())?;
                for (name, attr_ty) in attributes {
                    self.path.push(PathStep::Attribute(name.clone()));
                    let item = entries
                        .get(name)
                        .ok_or_else(|| self.error("attribute is missing"))?;
                    self.str(name)?;
                    self.value(item, attr_ty, depth + 1)?;
                    self.path.pop();
                }
                Ok(())
            }
            _ => Err(self.error(format!("expected {ty}, got {}", kind_name(value)))),
        }
    }

    fn dynamic(&mut self, value: &Value, ty: &Type, depth: usize) -> Result<(), CtyError> {
        self.array_len(2)?;
        mp::write_bin(&mut self.out, &ty.to_json_bytes()).map_err(|e| self.error(e.to_string()))?;
        self.value(value, ty, depth + 1)
    }

    fn str(&mut self, s: &str) -> Result<(), CtyError> {
        mp::write_str(&mut self.out, s).map_err(|e| self.error(e.to_string()))
    }

    fn array_len(&mut self, len: usize) -> Result<(), CtyError> {
        let len = self.len_u32(len)?;
        mp::write_array_len(&mut self.out, len).map_err(|e| self.error(e.to_string()))?;
        Ok(())
    }

    fn map_len(&mut self, len: usize) -> Result<(), CtyError> {
        let len = self.len_u32(len)?;
        mp::write_map_len(&mut self.out, len).map_err(|e| self.error(e.to_string()))?;
        Ok(())
    }

    /// An int when exactly an i64, a float64 when exactly a binary64 (or infinite), else
    /// the decimal string: the same choice cty makes, so Terraform reads back the same value.
    fn number(&mut self, n: &Number) -> Result<(), CtyError> {
        if let Some(i) = n.as_i64() {
            mp::write_sint(&mut self.out, i).map_err(|e| self.error(e.to_string()))?;
        } else if let Some(f) = n.to_f64_exact() {
            mp::write_f64(&mut self.out, f).map_err(|e| self.error(e.to_string()))?;
        } else {
            self.str(&n.to_string())?;
        }
        Ok(())
    }

    fn unknown(&mut self, refinements: &Refinements, ty: &Type) -> Result<(), CtyError> {
        let r = applicable(refinements, ty);
        if r.is_empty() {
            mp::write_ext_meta(&mut self.out, 1, EXT_UNKNOWN)
                .map_err(|e| self.error(e.to_string()))?;
            self.out.push(0);
            return Ok(());
        }
        let mut payload = Writer {
            out: Vec::new(),
            path: self.path.clone(),
        };
        let entries = [
            r.nullable.is_some(),
            r.string_prefix.is_some(),
            r.number_lower.is_some(),
            r.number_upper.is_some(),
            r.length_min.is_some(),
            r.length_max.is_some(),
        ];
        payload.map_len(entries.iter().filter(|present| **present).count())?;
        let key = |w: &mut Writer, k: i64| {
            mp::write_sint(&mut w.out, k)
                .map_err(|e| w.error(e.to_string()))
                .map(|_| ())
        };
        if let Some(nullable) = r.nullable {
            key(&mut payload, KEY_NULLABLE)?;
            mp::write_bool(&mut payload.out, nullable).map_err(|e| self.error(e.to_string()))?;
        }
        if let Some(prefix) = &r.string_prefix {
            key(&mut payload, KEY_STRING_PREFIX)?;
            payload.str(prefix)?;
        }
        for (k, bound) in [
            (KEY_NUMBER_LOWER, &r.number_lower),
            (KEY_NUMBER_UPPER, &r.number_upper),
        ] {
            if let Some((n, inclusive)) = bound {
                key(&mut payload, k)?;
                payload.array_len(2)?;
                payload.number(n)?;
                mp::write_bool(&mut payload.out, *inclusive)
                    .map_err(|e| self.error(e.to_string()))?;
            }
        }
        for (k, length) in [
            (KEY_LENGTH_MIN, r.length_min),
            (KEY_LENGTH_MAX, r.length_max),
        ] {
            if let Some(length) = length {
                key(&mut payload, k)?;
                mp::write_uint(&mut payload.out, length).map_err(|e| self.error(e.to_string()))?;
            }
        }
        let len = self.len_u32(payload.out.len())?;
        mp::write_ext_meta(&mut self.out, len, EXT_REFINED_UNKNOWN)
            .map_err(|e| self.error(e.to_string()))?;
        self.out.extend_from_slice(&payload.out);
        Ok(())
    }
}
