//! Conversions between the generated tfplugin6 messages and our types: values
//! (`DynamicValue`), diagnostics with attribute paths, and schemas.

use crate::cty::{self, AttributePath, CtyError, PathStep, Type, Value};

use super::schema::{Attribute, Block, IdentitySchema, NestedBlock, Nesting, Schema};
use super::{Diagnostic, Diagnostics, Severity};
use crate::tfplugin6 as proto;
use crate::tfplugin6::attribute_path::{Step, step::Selector};

/// Decodes a value Terraform sent: msgpack when present, else JSON; an absent or empty
/// `DynamicValue` is null.
pub fn decode_value(value: Option<&proto::DynamicValue>, ty: &Type) -> Result<Value, CtyError> {
    match value {
        Some(value) if !value.msgpack.is_empty() => cty::decode_msgpack(&value.msgpack, ty),
        Some(value) if !value.json.is_empty() => cty::decode_json(&value.json, ty),
        _ => Ok(Value::Null),
    }
}

/// Encodes a value for Terraform, always as msgpack.
pub fn encode_value(value: &Value, ty: &Type) -> Result<proto::DynamicValue, CtyError> {
    Ok(proto::DynamicValue {
        msgpack: cty::encode_msgpack(value, ty)?,
        json: Vec::new(),
    })
}

/// An error diagnostic for a value that could not be decoded or encoded, pointing at the
/// attribute at fault when the error has a path.
pub fn value_error(what: &str, error: &CtyError) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let summary = format!("Invalid {what}");
    let detail = format!(
        "The provider could not process the {what}: {error}. This is a bug in the provider or \
         in its communication with Terraform; please report it."
    );
    if error.path().is_empty() {
        diagnostics.error(summary, detail);
    } else {
        diagnostics.attribute_error(error.path().clone(), summary, detail);
    }
    diagnostics
}

/// Our diagnostics as tfplugin6 messages.
pub fn diagnostics_to_proto(diagnostics: &Diagnostics) -> Vec<proto::Diagnostic> {
    diagnostics.0.iter().map(diagnostic_to_proto).collect()
}

fn diagnostic_to_proto(diagnostic: &Diagnostic) -> proto::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => proto::diagnostic::Severity::Error,
        Severity::Warning => proto::diagnostic::Severity::Warning,
    };
    proto::Diagnostic {
        severity: severity as i32,
        summary: diagnostic.summary.clone(),
        detail: diagnostic.detail.clone(),
        attribute: diagnostic
            .attribute
            .as_ref()
            .filter(|path| !path.is_empty())
            .map(path_to_proto),
    }
}

/// An attribute path as a tfplugin6 message.
pub fn path_to_proto(path: &AttributePath) -> proto::AttributePath {
    let steps = path
        .steps()
        .iter()
        .map(|step| Step {
            selector: Some(match step {
                PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                PathStep::KeyString(key) => Selector::ElementKeyString(key.clone()),
                PathStep::KeyInt(index) => Selector::ElementKeyInt(*index),
            }),
        })
        .collect();
    proto::AttributePath { steps }
}

/// A tfplugin6 attribute path as ours; steps without a selector are skipped.
#[cfg(test)]
pub fn path_from_proto(path: &proto::AttributePath) -> AttributePath {
    AttributePath(
        path.steps
            .iter()
            .filter_map(|step| match step.selector.as_ref()? {
                Selector::AttributeName(name) => Some(PathStep::Attribute(name.clone())),
                Selector::ElementKeyString(key) => Some(PathStep::KeyString(key.clone())),
                Selector::ElementKeyInt(index) => Some(PathStep::KeyInt(*index)),
            })
            .collect(),
    )
}

/// A schema as a tfplugin6 message; descriptions are Markdown.
pub fn schema_to_proto(schema: &Schema) -> proto::Schema {
    proto::Schema {
        version: schema.version,
        block: Some(block_to_proto(&schema.block, schema.version)),
    }
}

fn block_to_proto(block: &Block, version: i64) -> proto::schema::Block {
    proto::schema::Block {
        version,
        attributes: block.attributes.iter().map(attribute_to_proto).collect(),
        block_types: block
            .block_types
            .iter()
            .map(nested_block_to_proto)
            .collect(),
        description: block.description.clone(),
        description_kind: proto::StringKind::Markdown as i32,
        deprecated: block.deprecated,
        deprecation_message: String::new(),
        computed: false,
    }
}

fn attribute_to_proto(attribute: &Attribute) -> proto::schema::Attribute {
    proto::schema::Attribute {
        name: attribute.name.clone(),
        r#type: attribute.ty.to_json_bytes(),
        nested_type: None,
        description: attribute.description.clone(),
        required: attribute.required,
        optional: attribute.optional,
        computed: attribute.computed,
        sensitive: attribute.sensitive,
        description_kind: proto::StringKind::Markdown as i32,
        deprecated: attribute.deprecated,
        write_only: attribute.write_only,
        deprecation_message: String::new(),
    }
}

fn nested_block_to_proto(nested: &NestedBlock) -> proto::schema::NestedBlock {
    use proto::schema::nested_block::NestingMode;
    let nesting = match nested.nesting {
        Nesting::Single => NestingMode::Single,
        Nesting::List => NestingMode::List,
        Nesting::Set => NestingMode::Set,
        Nesting::Map => NestingMode::Map,
        Nesting::Group => NestingMode::Group,
    };
    proto::schema::NestedBlock {
        type_name: nested.type_name.clone(),
        block: Some(proto::schema::Block {
            computed: nested.computed,
            ..block_to_proto(&nested.block, 0)
        }),
        nesting: nesting as i32,
        min_items: nested.min_items,
        max_items: nested.max_items,
    }
}

/// An identity schema as a tfplugin6 message.
pub fn identity_schema_to_proto(schema: &IdentitySchema) -> proto::ResourceIdentitySchema {
    proto::ResourceIdentitySchema {
        version: schema.version,
        identity_attributes: schema
            .attributes
            .iter()
            .map(
                |attribute| proto::resource_identity_schema::IdentityAttribute {
                    name: attribute.name.clone(),
                    r#type: attribute.ty.to_json_bytes(),
                    required_for_import: attribute.required_for_import,
                    optional_for_import: attribute.optional_for_import,
                    description: attribute.description.clone(),
                },
            )
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_prefer_msgpack_fall_back_to_json_and_default_to_null() {
        let ty = Type::object([("id", Type::String)]);
        let value = Value::object([("id", Value::string("x"))]);
        let encoded = encode_value(&value, &ty).expect("encodes");
        assert!(encoded.json.is_empty());
        assert_eq!(decode_value(Some(&encoded), &ty), Ok(value.clone()));
        let json = proto::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"id":"x"}"#.to_vec(),
        };
        assert_eq!(decode_value(Some(&json), &ty), Ok(value));
        assert_eq!(decode_value(None, &ty), Ok(Value::Null));
        assert_eq!(
            decode_value(Some(&proto::DynamicValue::default()), &ty),
            Ok(Value::Null)
        );
    }

    #[test]
    fn paths_round_trip_through_proto() {
        let path = AttributePath::root("items")
            .key_int(2)
            .attribute("tags")
            .key_string("env");
        assert_eq!(path_from_proto(&path_to_proto(&path)), path);
    }

    #[test]
    fn diagnostics_keep_severity_and_attribute() {
        let mut diagnostics = Diagnostics::default();
        diagnostics.attribute_error(AttributePath::root("name"), "Bad name", "Too long.");
        diagnostics.warning("Heads up", "");
        let converted = diagnostics_to_proto(&diagnostics);
        assert_eq!(
            converted[0].severity,
            proto::diagnostic::Severity::Error as i32
        );
        assert_eq!(
            converted[0].attribute.as_ref().map(path_from_proto),
            Some(AttributePath::root("name"))
        );
        assert_eq!(
            converted[1].severity,
            proto::diagnostic::Severity::Warning as i32
        );
        assert_eq!(converted[1].attribute, None);
    }

    #[test]
    fn decode_errors_point_at_the_attribute() {
        let ty = Type::object([("count", Type::Number)]);
        let bad = proto::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"count":"many"}"#.to_vec(),
        };
        let error = decode_value(Some(&bad), &ty).expect_err("a string is not a number");
        let diagnostics = value_error("configuration", &error);
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("count"))
        );
    }
}
