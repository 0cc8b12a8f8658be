use crate::cty::conform::kind_name;
use crate::cty::{AttributePath, CtyError, MAX_DEPTH, PathStep, Type, Value};

pub(super) fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CtyError> {
    let mut writer = Writer {
        out: Vec::new(),
        path: AttributePath::new(),
    };
    writer.value(value, ty, 0)?;
    Ok(writer.out)
}

/// Writes compact JSON into memory while tracking where in the value it is.
struct Writer {
    out: Vec<u8>,
    path: AttributePath,
}

impl Writer {
    fn error(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn str(&mut self, s: &str) -> Result<(), CtyError> {
        serde_json::to_writer(&mut self.out, s).map_err(|e| CtyError::at(&self.path, e.to_string()))
    }

    fn value(&mut self, value: &Value, ty: &Type, depth: usize) -> Result<(), CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("value is nested more than {MAX_DEPTH} levels deep")));
        }
        match (value, ty) {
            (Value::Unknown(_), _) => Err(self.error("unknown values cannot be encoded as JSON")),
            (Value::Null, _) => {
                self.out.extend_from_slice(b"null");
                Ok(())
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
            (Value::Number(n), Type::Number) => {
                if n.is_infinite() {
                    return Err(self.error("infinite numbers cannot be encoded as JSON"));
                }
                self.out.extend_from_slice(n.to_string().as_bytes());
                Ok(())
            }
            (Value::Bool(b), Type::Bool) => {
                self.out
                    .extend_from_slice(if *b { b"true" } else { b"false" });
                Ok(())
            }
            (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
                self.array(items.iter().map(|v| (v, &**element)), depth)
            }
            (Value::Tuple(items), Type::Tuple(types)) => {
                if items.len() != types.len() {
                    return Err(self.error(format!(
                        "expected a tuple of {} elements, got {}",
                        types.len(),
                        items.len()
                    )));
                }
                self.array(items.iter().zip(types), depth)
            }
            (Value::Map(entries), Type::Map(element)) => {
                self.out.push(b'{');
                for (i, (key, item)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.str(key)?;
                    self.out.push(b':');
                    self.path.push(PathStep::KeyString(key.clone()));
                    self.value(item, element, depth + 1)?;
                    self.path.pop();
                }
                self.out.push(b'}');
                Ok(())
            }
            (Value::Object(entries), Type::Object { attributes, .. }) => {
                if let Some(extra) = entries.keys().find(|k| !attributes.contains_key(*k)) {
                    return Err(
                        self.error(format!("unsupported attribute {extra:?} (not in {ty})"))
                    );
                }
                self.out.push(b'{');
                for (i, (name, attr_ty)) in attributes.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.path.push(PathStep::Attribute(name.clone()));
                    let item = entries
                        .get(name)
                        .ok_or_else(|| self.error("attribute is missing"))?;
                    self.str(name)?;
                    self.out.push(b':');
                    self.value(item, attr_ty, depth + 1)?;
                    self.path.pop();
                }
                self.out.push(b'}');
                Ok(())
            }
            _ => Err(self.error(format!("expected {ty}, got {}", kind_name(value)))),
        }
    }

    fn array<'v>(
        &mut self,
        items: impl Iterator<Item = (&'v Value, &'v Type)>,
        depth: usize,
    ) -> Result<(), CtyError> {
        self.out.push(b'[');
        for (i, (item, t)) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.path.push(PathStep::KeyInt(i as i64));
            self.value(item, t, depth + 1)?;
            self.path.pop();
        }
        self.out.push(b']');
        Ok(())
    }

    /// `{"type":T,"value":V}`, as cty writes values of type `dynamic`.
    fn dynamic(&mut self, value: &Value, ty: &Type, depth: usize) -> Result<(), CtyError> {
        self.out.extend_from_slice(b"{\"type\":");
        self.out.extend_from_slice(&ty.to_json_bytes());
        self.out.extend_from_slice(b",\"value\":");
        self.value(value, ty, depth + 1)?;
        self.out.push(b'}');
        Ok(())
    }
}
