//! The wrap-up code schema, identity, validation and state: shared by the resource, the data
//! source and the list resource.

use super::model::{WrapupCodeIdentity, WrapupCodeModel};
use crate::resources::support::{WrapupCodeRecord, is_uuid};
use tfplugin_framework::cty::{AttributePath, Type, Value};
use tfplugin_framework::{Attribute, Block, Diagnostics, IdentitySchema, Model, Schema, TfValue};
use tfplugin_framework::{attr_name, attr_path};

/// The Terraform type name, shared by the resource, data source and list resource.
pub const TYPE_NAME: &str = "genesyscloud_routing_wrapupcode";

/// Schema version 1, as the official provider's, so its state loads without an upgrade.
pub const SCHEMA_VERSION: i64 = 1;

/// Longest name the platform accepts, in characters (the emulator enforces the same limit).
pub const NAME_MAX_CHARS: usize = 255;

/// Prefix of the import ID form that looks a code up by its exact name.
pub const IMPORT_BY_NAME_PREFIX: &str = "name:";

/// The resource schema (also the shape of list results and generated configuration).
pub fn resource_schema() -> Schema {
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            description: "A Genesys Cloud wrap-up code: the outcome an agent records after an \
                          interaction (e.g. \"Sale completed\"). Names are unique in the org."
                .into(),
            attributes: vec![
                Attribute::computed(attr_name!(WrapupCodeModel.id), Type::String)
                    .description("The wrap-up code's ID (a UUID), as in the official provider."),
                Attribute::required(attr_name!(WrapupCodeModel.name), Type::String).description(
                    "Wrap-up code name, unique in the org; 1 to 255 characters, no control \
                     characters or leading/trailing spaces. Renaming updates the code in place.",
                ),
                Attribute::optional_computed(attr_name!(WrapupCodeModel.division_id), Type::String)
                    .description(
                        "ID of the division the code belongs to, or `*` for all divisions. When \
                     not set, the platform chooses (the home division, or `*`): the plan shows \
                     it as known after apply and state records the choice. Changing it moves \
                     the code in place; removing it from the configuration leaves the code \
                     where it is.",
                    ),
                Attribute::optional_computed(attr_name!(WrapupCodeModel.description), Type::String)
                    .description(
                        "The wrap-up code description. Omitted, `null` and `\"\"` all mean no \
                     description, are the same on the platform and never show as a change; \
                     state records `\"\"` for them.",
                    ),
            ],
            ..Block::default()
        },
    }
}

/// The identity schema: `{ id }`, version 0.
pub fn identity_schema() -> IdentitySchema {
    IdentitySchema::single_id(
        attr_name!(WrapupCodeIdentity.id),
        "The wrap-up code's ID (a UUID).",
    )
}

/// Checks a known wrap-up code name; the problem as a sentence, or `None` when acceptable.
pub fn name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if name.trim().is_empty() {
        return Some("The name must not be empty.".into());
    }
    if chars > NAME_MAX_CHARS {
        return Some(format!(
            "The name is {chars} characters long; Genesys Cloud accepts at most \
             {NAME_MAX_CHARS}."
        ));
    }
    if let Some(bad) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "The name contains the control character {bad:?}; wrap-up code names are a \
             single line of printable text."
        ));
    }
    if name.trim() != name {
        return Some(
            "The name starts or ends with whitespace, which Genesys Cloud trims; remove it so \
             the configuration matches what the platform stores."
                .into(),
        );
    }
    None
}

/// Attribute-scoped validation of `name` and `division_id` (skips unknown values).
pub fn validate_name_and_division(config: &WrapupCodeModel, diagnostics: &mut Diagnostics) {
    if let Some(name) = config.name.as_str()
        && let Some(problem) = name_problem(name)
    {
        diagnostics.attribute_error(
            attr_path!(WrapupCodeModel.name),
            "Invalid wrap-up code name",
            problem,
        );
    }
    validate_division_id(
        &config.division_id,
        attr_path!(WrapupCodeModel.division_id),
        diagnostics,
    );
}

/// The `division_id` value meaning all divisions (the SDK's `StarrableDivision`).
pub const ALL_DIVISIONS: &str = "*";

/// A known division ID must be a UUID or `*` (all divisions); the error points at `path`.
pub fn validate_division_id(
    division_id: &TfValue<String>,
    path: AttributePath,
    diagnostics: &mut Diagnostics,
) {
    if let Some(division) = division_id.as_str()
        && division != ALL_DIVISIONS
        && !is_uuid(division)
    {
        diagnostics.attribute_error(
            path,
            "Invalid division ID",
            format!(
                "{division:?} is not a division ID. Division IDs are UUIDs such as \
                 \"3fa85f64-5717-4562-b3fc-2c963f66afa6\": find them in Genesys Cloud under \
                 Admin > Divisions, or with GET /api/v2/authorization/divisions. Use \"*\" \
                 for all divisions, or leave division_id out to let the platform choose."
            ),
        );
    }
}

/// Terraform state for a code. The description keeps the form `prior` used (`""` or null)
/// when the platform holds none, so neither form shows as a change.
pub fn state_of(code: &WrapupCodeRecord, prior: Option<&WrapupCodeModel>) -> WrapupCodeModel {
    let prior_empty = prior.and_then(|prior| prior.description.as_str()) == Some("");
    let description = match &code.description {
        Some(text) => TfValue::Known(text.clone()),
        None if prior_empty => TfValue::Known(String::new()),
        None => TfValue::Null,
    };
    WrapupCodeModel {
        id: TfValue::Known(code.id.clone()),
        name: TfValue::Known(code.name.clone()),
        division_id: code.division_id.clone().into(),
        description,
    }
}

/// The identity `{ id }` of a code.
pub fn identity_of(id: &str) -> Value {
    WrapupCodeIdentity { id: id.into() }.to_value()
}

#[cfg(test)]
mod tests {
    use super::super::fake::code;
    use super::*;

    #[test]
    fn names_are_checked_for_emptiness_length_and_characters() {
        assert_eq!(name_problem("Sale completed"), None);
        assert_eq!(name_problem(&"é".repeat(NAME_MAX_CHARS)), None);
        assert!(name_problem("").unwrap().contains("empty"));
        assert!(name_problem("   ").unwrap().contains("empty"));
        assert!(
            name_problem(&"a".repeat(NAME_MAX_CHARS + 1))
                .unwrap()
                .contains("256 characters")
        );
        assert!(name_problem("a\nb").unwrap().contains("control character"));
        assert!(name_problem(" padded").unwrap().contains("whitespace"));
    }

    #[test]
    fn validation_points_at_the_attribute() {
        let config = WrapupCodeModel {
            name: "".into(),
            division_id: "home".into(),
            ..WrapupCodeModel::default()
        };
        let mut diagnostics = Diagnostics::default();
        validate_name_and_division(&config, &mut diagnostics);
        let paths: Vec<_> = diagnostics.0.iter().map(|d| d.attribute.clone()).collect();
        assert_eq!(
            paths,
            vec![
                Some(attr_path!(WrapupCodeModel.name)),
                Some(attr_path!(WrapupCodeModel.division_id))
            ]
        );
    }

    #[test]
    fn all_divisions_is_a_valid_division_id() {
        for division in [ALL_DIVISIONS, "3fa85f64-5717-4562-b3fc-2c963f66afa6"] {
            let config = WrapupCodeModel {
                name: "Fine".into(),
                division_id: division.into(),
                ..WrapupCodeModel::default()
            };
            let mut diagnostics = Diagnostics::default();
            validate_name_and_division(&config, &mut diagnostics);
            assert!(diagnostics.0.is_empty(), "{division}: {diagnostics:?}");
        }
    }

    #[test]
    fn unknown_values_are_not_validated() {
        let config = WrapupCodeModel {
            name: TfValue::unknown(),
            division_id: TfValue::unknown(),
            ..WrapupCodeModel::default()
        };
        let mut diagnostics = Diagnostics::default();
        validate_name_and_division(&config, &mut diagnostics);
        assert!(diagnostics.0.is_empty());
    }

    #[test]
    fn empty_description_keeps_the_form_state_used() {
        let empty = code("i", "n", None);
        let with_empty = WrapupCodeModel {
            description: "".into(),
            ..WrapupCodeModel::default()
        };
        let with_null = WrapupCodeModel::default();
        assert_eq!(
            state_of(&empty, Some(&with_empty)).description,
            TfValue::Known(String::new())
        );
        assert_eq!(
            state_of(&empty, Some(&with_null)).description,
            TfValue::Null
        );
        assert_eq!(state_of(&empty, None).description, TfValue::Null);
        let described = code("i", "n", Some("text"));
        assert_eq!(
            state_of(&described, Some(&with_empty)).description.as_str(),
            Some("text")
        );
    }
}
