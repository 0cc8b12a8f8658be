//! Reading stored state (`RawState.json`) written under the current schema version: the
//! attributes a newer provider release dropped are ignored, missing ones read as null.

use serde_json::Value as Json;

use crate::cty::{self, CtyError, Type, Value};

use super::schema::{Block, Nesting};

/// Decodes state JSON against the current schema. Tries the JSON as is first (exact number
/// text is kept); only when that fails are attributes unknown to the schema stripped.
pub fn decode_current(raw_json: &[u8], block: &Block, ty: &Type) -> Result<Value, CtyError> {
    match cty::decode_json(raw_json, ty) {
        Ok(value) => Ok(value),
        Err(first_error) => {
            let Ok(mut json) = serde_json::from_slice::<Json>(raw_json) else {
                return Err(first_error);
            };
            strip_block(block, &mut json);
            let stripped = serde_json::to_vec(&json)
                .map_err(|error| CtyError::at(&cty::AttributePath::new(), error.to_string()))?;
            cty::decode_json(&stripped, ty)
        }
    }
}

/// Decodes identity JSON against the identity type, ignoring attributes it no longer has.
pub fn decode_current_identity(raw_json: &[u8], ty: &Type) -> Result<Value, CtyError> {
    match cty::decode_json(raw_json, ty) {
        Ok(value) => Ok(value),
        Err(first_error) => {
            let (Ok(Json::Object(mut json)), Some(attributes)) = (
                serde_json::from_slice::<Json>(raw_json),
                ty.attribute_types(),
            ) else {
                return Err(first_error);
            };
            json.retain(|name, _| attributes.contains_key(name));
            let stripped = serde_json::to_vec(&json)
                .map_err(|error| CtyError::at(&cty::AttributePath::new(), error.to_string()))?;
            cty::decode_json(&stripped, ty)
        }
    }
}

fn strip_block(block: &Block, json: &mut Json) {
    let Json::Object(object) = json else {
        return;
    };
    object.retain(|name, _| {
        block.attribute(name).is_some() || block.block_types.iter().any(|b| &b.type_name == name)
    });
    for nested in &block.block_types {
        let Some(child) = object.get_mut(&nested.type_name) else {
            continue;
        };
        match (nested.nesting, child) {
            (Nesting::Single | Nesting::Group, child) => strip_block(&nested.block, child),
            (Nesting::List | Nesting::Set, Json::Array(items)) => {
                items
                    .iter_mut()
                    .for_each(|item| strip_block(&nested.block, item));
            }
            (Nesting::Map, Json::Object(entries)) => {
                entries
                    .values_mut()
                    .for_each(|item| strip_block(&nested.block, item));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock};

    fn block() -> Block {
        let attribute = |name: &str| Attribute::optional(name, Type::String);
        Block {
            attributes: vec![attribute("id"), attribute("name")],
            block_types: vec![NestedBlock {
                type_name: "tag".to_string(),
                block: Block {
                    attributes: vec![attribute("key")],
                    ..Block::default()
                },
                nesting: Nesting::List,
                min_items: 0,
                max_items: 0,
            }],
            ..Block::default()
        }
    }

    #[test]
    fn dropped_attributes_are_ignored_and_missing_ones_are_null() {
        let raw = br#"{"id":"1","legacy":true,"tag":[{"key":"a","old":1}]}"#;
        let block = block();
        let value = decode_current(raw, &block, &block.value_type()).expect("decodes");
        assert_eq!(
            value,
            Value::object([
                ("id", Value::string("1")),
                ("name", Value::Null),
                (
                    "tag",
                    Value::list([Value::object([("key", Value::string("a"))])])
                ),
            ])
        );
    }

    #[test]
    fn wrong_types_are_still_errors() {
        let block = block();
        let error = decode_current(br#"{"id":[5]}"#, &block, &block.value_type())
            .expect_err("a list is not a string");
        assert_eq!(error.path(), &cty::AttributePath::root("id"));
    }

    #[test]
    fn identity_ignores_dropped_attributes() {
        let ty = Type::object([("id", Type::String)]);
        let value = decode_current_identity(br#"{"id":"1","region":"x"}"#, &ty).expect("decodes");
        assert_eq!(value, Value::object([("id", Value::string("1"))]));
    }
}
