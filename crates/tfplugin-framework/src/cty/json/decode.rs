use std::collections::BTreeMap;

use crate::cty::set::distinct_elements;
use crate::cty::{AttributePath, CtyError, MAX_DEPTH, Number, PathStep, Type, Value};

pub(super) fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    let mut parser = Parser {
        bytes,
        pos: 0,
        path: AttributePath::new(),
    };
    let value = parser.value(ty, 0)?;
    parser.skip_whitespace();
    if parser.pos != bytes.len() {
        return Err(parser.error("unexpected characters after the JSON value"));
    }
    Ok(value)
}

/// A JSON token that can stand for a primitive.
enum Scalar {
    String(String),
    /// The exact text of a JSON number.
    Number(String),
    Bool(bool),
}

/// A type-directed JSON parser over bytes that knows where in the value it is.
struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: AttributePath,
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next non-whitespace byte, not consumed.
    fn peek(&mut self) -> Result<u8, CtyError> {
        self.skip_whitespace();
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.error("unexpected end of JSON"))
    }

    fn expect(&mut self, byte: u8) -> Result<(), CtyError> {
        if self.peek()? != byte {
            return Err(self.error(format!(
                "expected {:?} in JSON at byte {}",
                byte as char, self.pos
            )));
        }
        self.pos += 1;
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), CtyError> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error(format!("invalid JSON at byte {}", self.pos)))
        }
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
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Ok(Value::Null);
        }
        // Primitive conversions mirror cty's JSON decoder, which accepts numbers and bools
        // for strings and their string forms for numbers and bools (legacy state).
        match ty {
            Type::String => match self.scalar("a string")? {
                Scalar::String(s) | Scalar::Number(s) => Ok(Value::String(s)),
                Scalar::Bool(b) => Ok(Value::String(b.to_string())),
            },
            Type::Number => match self.scalar("a number")? {
                Scalar::String(s) | Scalar::Number(s) => match Number::parse(&s) {
                    Ok(n) if n.is_infinite() => {
                        Err(self.error("JSON cannot hold infinite numbers"))
                    }
                    Ok(n) => Ok(Value::Number(n)),
                    Err(e) => Err(self.error(e.to_string())),
                },
                Scalar::Bool(_) => Err(self.error("expected a number, got a JSON bool")),
            },
            Type::Bool => match self.scalar("a bool")? {
                Scalar::Bool(b) => Ok(Value::Bool(b)),
                Scalar::String(s) if s == "true" => Ok(Value::Bool(true)),
                Scalar::String(s) if s == "false" => Ok(Value::Bool(false)),
                _ => Err(self.error("expected a bool")),
            },
            Type::List(element) => Ok(Value::List(self.elements(|_| Some(&**element), depth)?)),
            Type::Set(element) => Ok(Value::Set(distinct_elements(
                self.elements(|_| Some(&**element), depth)?,
            ))),
            Type::Tuple(types) => {
                let items = self.elements(|i| types.get(i), depth)?;
                if items.len() != types.len() {
                    return Err(self.error(format!(
                        "expected a tuple of {} elements, got {}",
                        types.len(),
                        items.len()
                    )));
                }
                Ok(Value::Tuple(items))
            }
            Type::Map(element) => {
                let mut entries = BTreeMap::new();
                self.members("a map", |p, key| {
                    if entries.contains_key(&key) {
                        return Err(p.error(format!("duplicate map key {key:?}")));
                    }
                    let v = p.with_step(PathStep::KeyString(key.clone()), |p| {
                        p.value(element, depth + 1)
                    })?;
                    entries.insert(key, v);
                    Ok(())
                })?;
                Ok(Value::Map(entries))
            }
            Type::Object { attributes, .. } => {
                let mut entries = BTreeMap::new();
                self.members("an object", |p, name| {
                    let Some(attr_ty) = attributes.get(&name) else {
                        return Err(
                            p.error(format!("unsupported attribute {name:?} (not in {ty})"))
                        );
                    };
                    if entries.contains_key(&name) {
                        return Err(p.error(format!("duplicate attribute {name:?}")));
                    }
                    let v = p.with_step(PathStep::Attribute(name.clone()), |p| {
                        p.value(attr_ty, depth + 1)
                    })?;
                    entries.insert(name, v);
                    Ok(())
                })?;
                for name in attributes.keys() {
                    entries.entry(name.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(entries))
            }
            Type::Dynamic => self.dynamic(depth),
        }
    }

    /// `{"type": T, "value": V}` in either order; V is parsed once T is known.
    fn dynamic(&mut self, depth: usize) -> Result<Value, CtyError> {
        let mut ty = None;
        let mut value_span = None;
        self.members(
            "a {\"type\", \"value\"} object for a dynamic value",
            |p, key| {
                p.skip_whitespace();
                let start = p.pos;
                p.skip(depth + 1)?;
                let span = (start, p.pos);
                match key.as_str() {
                    "type" if ty.is_none() => {
                        ty = Some(Type::from_json_at(&p.bytes[span.0..span.1], &p.path)?);
                    }
                    "value" if value_span.is_none() => value_span = Some(span),
                    "type" | "value" => {
                        return Err(p.error(format!("duplicate {key:?} in a dynamic value")));
                    }
                    _ => return Err(p.error(format!("unexpected {key:?} in a dynamic value"))),
                }
                Ok(())
            },
        )?;
        let (Some(ty), Some((start, end))) = (ty, value_span) else {
            return Err(self.error("a dynamic value needs both \"type\" and \"value\""));
        };
        let resume = self.pos;
        self.pos = start;
        let inner = self.value(&ty, depth + 1)?;
        debug_assert_eq!(
            self.pos, end,
            "re-parsing a skipped value ends where skipping did"
        );
        self.pos = resume;
        Ok(Value::dynamic_decoded(ty, inner))
    }

    /// Parses an array, each element against the type `element_type(i)` gives (`None`:
    /// too many elements).
    fn elements<'t>(
        &mut self,
        element_type: impl Fn(usize) -> Option<&'t Type>,
        depth: usize,
    ) -> Result<Vec<Value>, CtyError> {
        if self.peek()? != b'[' {
            return Err(self.error("expected a JSON array"));
        }
        self.pos += 1;
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            let i = items.len();
            let Some(ty) = element_type(i) else {
                return Err(self.error(format!("too many elements (more than {i})")));
            };
            let v = self.with_step(PathStep::KeyInt(i as i64), |p| p.value(ty, depth + 1))?;
            items.push(v);
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Ok(items);
                }
                _ => return Err(self.error(format!("expected ',' or ']' at byte {}", self.pos))),
            }
        }
    }

    /// Parses an object, calling `member` with each key; `member` consumes the value.
    fn members(
        &mut self,
        wanted: &str,
        mut member: impl FnMut(&mut Self, String) -> Result<(), CtyError>,
    ) -> Result<(), CtyError> {
        if self.peek()? != b'{' {
            return Err(self.error(format!("expected {wanted} (a JSON object)")));
        }
        self.pos += 1;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            if self.peek()? != b'"' {
                return Err(self.error(format!("expected a string key at byte {}", self.pos)));
            }
            let key = self.string()?;
            self.expect(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error(format!("expected ',' or '}}' at byte {}", self.pos))),
            }
        }
    }

    fn scalar(&mut self, wanted: &str) -> Result<Scalar, CtyError> {
        match self.peek()? {
            b'"' => Ok(Scalar::String(self.string()?)),
            b't' => self.literal(b"true").map(|()| Scalar::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Scalar::Bool(false)),
            b'-' | b'0'..=b'9' => Ok(Scalar::Number(self.number_text()?.to_string())),
            _ => Err(self.error(format!("expected {wanted}"))),
        }
    }

    /// The byte length of the string literal starting at `self.pos` (quotes included).
    fn string_end(&self) -> Result<(usize, bool), CtyError> {
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(i) {
                None => return Err(self.error("unterminated JSON string")),
                Some(b'"') => return Ok((i + 1, escaped)),
                Some(b'\\') => {
                    escaped = true;
                    i += 2;
                }
                Some(0x00..=0x1f) => {
                    return Err(self.error("control character inside a JSON string"));
                }
                Some(_) => i += 1,
            }
        }
    }

    fn string(&mut self) -> Result<String, CtyError> {
        let (end, escaped) = self.string_end()?;
        let literal = &self.bytes[self.pos..end];
        let s = if escaped {
            serde_json::from_slice::<String>(literal)
                .map_err(|e| self.error(format!("invalid JSON string: {e}")))?
        } else {
            std::str::from_utf8(&literal[1..literal.len() - 1])
                .map_err(|_| self.error("JSON string is not valid UTF-8"))?
                .to_string()
        };
        self.pos = end;
        Ok(s)
    }

    /// The text of a number per the JSON grammar.
    fn number_text(&mut self) -> Result<&'a str, CtyError> {
        let start = self.pos;
        let bytes = self.bytes;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        if !digits(&mut i) || (bytes[int_start] == b'0' && i - int_start > 1) {
            return Err(self.error(format!("invalid JSON number at byte {start}")));
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(self.error(format!("invalid JSON number at byte {start}")));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(self.error(format!("invalid JSON number at byte {start}")));
            }
        }
        self.pos = i;
        Ok(std::str::from_utf8(&bytes[start..i]).expect("JSON number bytes are ASCII"))
    }

    /// Skips one JSON value of any kind, checking its syntax.
    fn skip(&mut self, depth: usize) -> Result<(), CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("value is nested more than {MAX_DEPTH} levels deep")));
        }
        match self.peek()? {
            b'[' => {
                self.pos += 1;
                if self.peek()? == b']' {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.skip(depth + 1)?;
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => {
                            return Err(
                                self.error(format!("expected ',' or ']' at byte {}", self.pos))
                            );
                        }
                    }
                }
            }
            b'{' => self.members("an object", |p, _| p.skip(depth + 1)),
            b'n' => self.literal(b"null"),
            _ => self.scalar("a JSON value").map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty() -> Type {
        Type::object([
            ("id", Type::String),
            ("count", Type::Number),
            ("tags", Type::map(Type::String)),
        ])
    }

    #[test]
    fn missing_attributes_decode_as_null() {
        let v = decode(br#"{"id":"a"}"#, &ty()).unwrap();
        assert_eq!(
            v,
            Value::object([
                ("id", "a".into()),
                ("count", Value::Null),
                ("tags", Value::Null)
            ])
        );
    }

    #[test]
    fn extra_attribute_is_an_error() {
        let err = decode(br#"{"id":"a","nope":1}"#, &ty()).unwrap_err();
        assert!(
            err.to_string().contains("unsupported attribute \"nope\""),
            "{err}"
        );
    }

    #[test]
    fn numbers_keep_full_precision() {
        let v = decode(
            b"123456789012345678901234567890.000000000000000000001",
            &Type::Number,
        )
        .unwrap();
        assert_eq!(
            v.as_number().unwrap().to_string(),
            "123456789012345678901234567890.000000000000000000001"
        );
    }

    #[test]
    fn dynamic_values_parse_in_either_member_order() {
        let expected = Value::dynamic(Type::list(Type::String), Value::list(["x".into()]));
        let a = decode(
            br#"{"type":["list","string"],"value":["x"]}"#,
            &Type::Dynamic,
        )
        .unwrap();
        let b = decode(
            br#" { "value" : [ "x" ] , "type" : [ "list" , "string" ] } "#,
            &Type::Dynamic,
        )
        .unwrap();
        assert_eq!(a, expected);
        assert_eq!(b, expected);
    }

    #[test]
    fn dynamic_values_declaring_type_dynamic_decode_like_their_content() {
        let null = decode(br#"{"type":"dynamic","value":null}"#, &Type::Dynamic).unwrap();
        assert_eq!(null, Value::Null);
        let nested = decode(
            br#"{"type":"dynamic","value":{"type":"string","value":"x"}}"#,
            &Type::Dynamic,
        )
        .unwrap();
        assert_eq!(nested, Value::dynamic(Type::String, "x".into()));
    }

    #[test]
    fn errors_point_at_the_nested_value() {
        let err = decode(br#"{"tags":{"k":[1]}}"#, &ty()).unwrap_err();
        assert_eq!(err.path(), &AttributePath::root("tags").key_string("k"));
    }

    #[test]
    fn malformed_json_is_an_error() {
        let object = Type::object([("id", Type::String)]);
        let numbers = Type::list(Type::Number);
        let cases: [(&[u8], &Type); 15] = [
            (b"{", &object),
            (b"[1,]", &numbers),
            (b"[1 2]", &numbers),
            (b"01", &Type::Number),
            (b"1.", &Type::Number),
            (b"-", &Type::Number),
            (b"\"abc", &Type::String),
            (b"\"\\x\"", &Type::String),
            (b"\"\\ud800\"", &Type::String),
            (b"nul", &Type::String),
            (b"{\"id\" \"a\"}", &object),
            (b"{\"id\":\"a\",}", &object),
            (b"\"a\" \"b\"", &Type::String),
            (b"\"\x01\"", &Type::String),
            (b"\"-inf\"", &Type::Number),
        ];
        for (bad, ty) in cases {
            let result = decode(bad, ty);
            assert!(
                result.is_err(),
                "{:?} should be rejected",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
