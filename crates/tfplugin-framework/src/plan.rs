//! Value transformations the server applies with a schema: the default plan for a create,
//! nulling write-only attributes, and deriving configuration from state.

use crate::cty::Value;

use super::schema::{Block, Nesting};

/// Calls `visit` on every object of `block`'s shape inside `value`, nested blocks included.
fn for_each_object(block: &Block, value: &mut Value, visit: &mut dyn FnMut(&Block, &mut Value)) {
    if !matches!(value, Value::Object(_)) {
        return;
    }
    visit(block, value);
    let Value::Object(attributes) = value else {
        return;
    };
    for nested in &block.block_types {
        let Some(child) = attributes.get_mut(&nested.type_name) else {
            continue;
        };
        match (nested.nesting, child) {
            (Nesting::Single | Nesting::Group, child) => {
                for_each_object(&nested.block, child, visit)
            }
            (Nesting::List | Nesting::Set, Value::List(items) | Value::Set(items)) => {
                for item in items {
                    for_each_object(&nested.block, item, visit);
                }
            }
            (Nesting::Map, Value::Map(entries)) => {
                for item in entries.values_mut() {
                    for_each_object(&nested.block, item, visit);
                }
            }
            _ => {}
        }
    }
}

/// The default plan for a create: computed attributes the configuration leaves null become
/// unknown ("known after apply").
pub fn mark_computed_nulls_unknown(block: &Block, proposed: &mut Value) {
    for_each_object(block, proposed, &mut |block, object| {
        let Value::Object(attributes) = object else {
            return;
        };
        for attribute in block.attributes.iter().filter(|a| a.computed) {
            if let Some(value) = attributes.get_mut(&attribute.name)
                && value.is_null()
            {
                *value = Value::unknown();
            }
        }
    });
}

/// Write-only attributes are never part of a plan or state: sets them to null.
pub fn null_write_only(block: &Block, value: &mut Value) {
    for_each_object(block, value, &mut |block, object| {
        let Value::Object(attributes) = object else {
            return;
        };
        for attribute in block.attributes.iter().filter(|a| a.write_only) {
            if let Some(value) = attributes.get_mut(&attribute.name) {
                *value = Value::Null;
            }
        }
    });
}

/// A configuration equivalent to `state` (GenerateResourceConfig): attributes only the
/// provider sets (computed, not optional) are nulled; everything a user may write is kept.
pub fn config_from_state(block: &Block, state: &Value) -> Value {
    let mut config = state.clone();
    for_each_object(block, &mut config, &mut |block, object| {
        let Value::Object(attributes) = object else {
            return;
        };
        for attribute in &block.attributes {
            let provider_only = attribute.computed && !attribute.optional && !attribute.required;
            if (provider_only || attribute.write_only)
                && let Some(value) = attributes.get_mut(&attribute.name)
            {
                *value = Value::Null;
            }
        }
    });
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::Type;
    use crate::schema::{Attribute, NestedBlock};

    fn block() -> Block {
        let rule = Block {
            attributes: vec![
                Attribute::required("label", Type::String),
                Attribute::computed("rule_id", Type::String),
            ],
            ..Block::default()
        };
        Block {
            attributes: vec![
                Attribute::computed("id", Type::String),
                Attribute::required("name", Type::String),
                Attribute::optional_computed("division", Type::String),
                Attribute::optional("note", Type::String),
                Attribute::optional("secret", Type::String).write_only(),
            ],
            block_types: vec![NestedBlock {
                type_name: "rule".to_string(),
                block: rule,
                nesting: Nesting::List,
                min_items: 0,
                max_items: 0,
            }],
            ..Block::default()
        }
    }

    fn value(id: Value, division: Value, rule_id: Value) -> Value {
        Value::object([
            ("id", id),
            ("name", Value::string("n")),
            ("division", division),
            ("note", Value::Null),
            ("secret", Value::string("s3cr3t")),
            (
                "rule",
                Value::list([Value::object([
                    ("label", Value::string("l")),
                    ("rule_id", rule_id),
                ])]),
            ),
        ])
    }

    #[test]
    fn create_plan_makes_computed_nulls_unknown_including_nested_blocks() {
        let mut proposed = value(Value::Null, Value::string("d1"), Value::Null);
        mark_computed_nulls_unknown(&block(), &mut proposed);
        assert_eq!(
            proposed,
            value(Value::unknown(), Value::string("d1"), Value::unknown())
        );
    }

    #[test]
    fn write_only_attributes_are_nulled() {
        let mut planned = value(Value::Null, Value::Null, Value::Null);
        null_write_only(&block(), &mut planned);
        assert_eq!(planned.get_attr("secret"), Some(&Value::Null));
        assert_eq!(planned.get_attr("name"), Some(&Value::string("n")));
    }

    #[test]
    fn generated_config_drops_provider_only_attributes_and_keeps_optional_computed() {
        let state = value(Value::string("1"), Value::string("d1"), Value::string("r1"));
        let config = config_from_state(&block(), &state);
        let mut expected = value(Value::Null, Value::string("d1"), Value::Null);
        null_write_only(&block(), &mut expected);
        assert_eq!(config, expected);
    }
}
