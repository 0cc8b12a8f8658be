//! The JSON encoding of types (schema `type` bytes and the dynamic-value wrapper):
//! `"string"`, `["list",T]`, `["object",{..},["opt"]]`, `["tuple",[..]]`, `"dynamic"`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as Json, json};

use super::{AttributePath, CtyError, MAX_DEPTH, Type};

impl Type {
    /// The type as a JSON value. Objects get the optional-attribute list as a third element
    /// only when they have optional attributes.
    pub fn to_json(&self) -> Json {
        match self {
            Type::String => json!("string"),
            Type::Number => json!("number"),
            Type::Bool => json!("bool"),
            Type::Dynamic => json!("dynamic"),
            Type::List(t) => json!(["list", t.to_json()]),
            Type::Set(t) => json!(["set", t.to_json()]),
            Type::Map(t) => json!(["map", t.to_json()]),
            Type::Object {
                attributes,
                optional,
            } => {
                let attrs: serde_json::Map<String, Json> = attributes
                    .iter()
                    .map(|(name, t)| (name.clone(), t.to_json()))
                    .collect();
                if optional.is_empty() {
                    json!(["object", attrs])
                } else {
                    json!(["object", attrs, optional.iter().collect::<Vec<_>>()])
                }
            }
            Type::Tuple(elements) => {
                json!([
                    "tuple",
                    elements.iter().map(Type::to_json).collect::<Vec<_>>()
                ])
            }
        }
    }

    /// The type as compact JSON bytes, as Terraform expects in `Schema.Attribute.type`.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.to_json()).expect("serialising a JSON value to memory cannot fail")
    }

    /// Reads a type from its JSON bytes. Nesting deeper than [`MAX_DEPTH`] is an error.
    pub fn from_json(bytes: &[u8]) -> Result<Type, CtyError> {
        Type::from_json_at(bytes, &AttributePath::new())
    }

    /// Reads a type from an already parsed JSON value.
    pub fn from_json_value(json: &Json) -> Result<Type, CtyError> {
        parse_type(json, &AttributePath::new(), 0)
    }

    /// Like [`Type::from_json`], reporting errors at `path` (the dynamic value being read).
    pub(crate) fn from_json_at(bytes: &[u8], path: &AttributePath) -> Result<Type, CtyError> {
        let json: Json = serde_json::from_slice(bytes)
            .map_err(|e| CtyError::at(path, format!("invalid type JSON: {e}")))?;
        parse_type(&json, path, 0)
    }
}

fn parse_type(json: &Json, path: &AttributePath, depth: usize) -> Result<Type, CtyError> {
    if depth > MAX_DEPTH {
        return Err(CtyError::at(
            path,
            format!("type is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    let invalid = |what: &str| CtyError::at(path, format!("invalid type JSON: {what}"));
    match json {
        Json::String(name) => match name.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "dynamic" => Ok(Type::Dynamic),
            other => Err(invalid(&format!("unknown primitive type {other:?}"))),
        },
        Json::Array(items) => {
            let Some(Json::String(kind)) = items.first() else {
                return Err(invalid(
                    "an array type must start with its kind as a string",
                ));
            };
            let args = &items[1..];
            match (kind.as_str(), args) {
                ("list", [t]) => Ok(Type::list(parse_type(t, path, depth + 1)?)),
                ("set", [t]) => Ok(Type::set(parse_type(t, path, depth + 1)?)),
                ("map", [t]) => Ok(Type::map(parse_type(t, path, depth + 1)?)),
                ("tuple", [Json::Array(elements)]) => Ok(Type::Tuple(
                    elements
                        .iter()
                        .map(|t| parse_type(t, path, depth + 1))
                        .collect::<Result<_, _>>()?,
                )),
                ("object", [Json::Object(attrs), rest @ ..]) if rest.len() <= 1 => {
                    let attributes = attrs
                        .iter()
                        .map(|(name, t)| Ok((name.clone(), parse_type(t, path, depth + 1)?)))
                        .collect::<Result<BTreeMap<_, _>, CtyError>>()?;
                    let optional = match rest.first() {
                        None => BTreeSet::new(),
                        Some(Json::Array(names)) => names
                            .iter()
                            .map(|name| match name {
                                Json::String(name) if attributes.contains_key(name) => {
                                    Ok(name.clone())
                                }
                                Json::String(name) => Err(invalid(&format!(
                                    "optional attribute {name:?} is not an attribute of the object"
                                ))),
                                _ => Err(invalid("optional attribute names must be strings")),
                            })
                            .collect::<Result<_, _>>()?,
                        Some(_) => {
                            return Err(invalid("object optional attributes must be an array"));
                        }
                    };
                    Ok(Type::Object {
                        attributes,
                        optional,
                    })
                }
                ("list" | "set" | "map", _) => {
                    Err(invalid(&format!("{kind} takes exactly one element type")))
                }
                ("tuple", _) => Err(invalid("tuple takes one array of element types")),
                ("object", _) => Err(invalid(
                    "object takes an attribute map and an optional list of optional attributes",
                )),
                (other, _) => Err(invalid(&format!("unknown type kind {other:?}"))),
            }
        }
        _ => Err(invalid("a type is a string or an array")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> Type {
        let ty = Type::from_json(text.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(ty.to_json_bytes()).unwrap(), text);
        ty
    }

    #[test]
    fn primitive_and_collection_types_round_trip() {
        assert_eq!(round_trip(r#""string""#), Type::String);
        assert_eq!(round_trip(r#""dynamic""#), Type::Dynamic);
        assert_eq!(round_trip(r#"["list","number"]"#), Type::list(Type::Number));
        assert_eq!(
            round_trip(r#"["set",["map","bool"]]"#),
            Type::set(Type::map(Type::Bool))
        );
        assert_eq!(
            round_trip(r#"["tuple",["string",["list","dynamic"]]]"#),
            Type::tuple([Type::String, Type::list(Type::Dynamic)])
        );
    }

    #[test]
    fn object_types_keep_optional_attributes() {
        assert_eq!(
            round_trip(r#"["object",{"a":"string","b":"number"},["b"]]"#),
            Type::object_with_optional([("a", Type::String), ("b", Type::Number)], ["b"])
        );
        assert_eq!(
            round_trip(r#"["object",{}]"#),
            Type::object::<_, String>([])
        );
    }

    #[test]
    fn malformed_types_are_errors() {
        for bad in [
            r#""strin""#,
            r#"["list"]"#,
            r#"["list","string","number"]"#,
            r#"["object",{"a":"string"},["b"]]"#,
            r#"["object",{"a":"string"},"a"]"#,
            r#"["tuple","string"]"#,
            r#"[]"#,
            r#"42"#,
            r#"["frob","string"]"#,
            "not json",
        ] {
            assert!(
                Type::from_json(bad.as_bytes()).is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 100;
        let text = format!(
            "{}\"string\"{}",
            r#"["list","#.repeat(depth),
            "]".repeat(depth)
        );
        let err = Type::from_json(text.as_bytes()).unwrap_err();
        assert!(err.message().contains("nested"), "{err}");
        let text = format!(
            "{}\"string\"{}",
            r#"["list","#.repeat(10_000),
            "]".repeat(10_000)
        );
        assert!(Type::from_json(text.as_bytes()).is_err());
    }
}
