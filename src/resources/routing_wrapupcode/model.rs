//! What a `genesyscloud_routing_wrapupcode` holds: its configuration, plan and state (one
//! model, as they share the schema) and its identity.

use tfplugin_framework::TfValue;
use tfplugin_framework::tf_model;

tf_model! {
    /// Configuration, plan and state of the resource; also the data source's object and a
    /// list result's resource object, which have the same attributes.
    pub struct WrapupCodeModel {
        /// The code's UUID (computed).
        pub id: TfValue<String>,
        /// The code's name, unique in the org (required).
        pub name: TfValue<String>,
        /// The code's division (optional and computed: the home division when unset).
        pub division_id: TfValue<String>,
        /// The description; `""` and null are the same on the platform.
        pub description: TfValue<String>,
    }
}

tf_model! {
    /// The resource identity `{ id }`.
    pub struct WrapupCodeIdentity {
        /// The code's UUID.
        pub id: TfValue<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::routing_wrapupcode::{identity_schema, resource_schema};
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    #[test]
    fn the_model_matches_the_resource_and_identity_schemas() {
        assert_model_matches::<WrapupCodeModel>(&resource_schema().value_type());
        assert_model_matches::<WrapupCodeIdentity>(&identity_schema().value_type());
    }

    #[test]
    fn the_model_round_trips_with_null_and_unknown_in_optional_and_computed_fields() {
        let known = WrapupCodeModel {
            id: "3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
            name: "Sale".into(),
            division_id: "d0000000-0000-0000-0000-000000000000".into(),
            description: "".into(),
        };
        let planned_create = WrapupCodeModel {
            id: TfValue::unknown(),
            division_id: TfValue::unknown(),
            description: TfValue::Null,
            ..known.clone()
        };
        let unknown_config = WrapupCodeModel {
            id: TfValue::Null,
            name: TfValue::unknown(),
            division_id: TfValue::Null,
            description: TfValue::unknown(),
        };
        assert_round_trips(&[
            known,
            planned_create,
            unknown_config,
            WrapupCodeModel::default(),
        ]);
        assert_round_trips(&[
            WrapupCodeIdentity { id: "i".into() },
            WrapupCodeIdentity::default(),
            WrapupCodeIdentity {
                id: TfValue::unknown(),
            },
        ]);
    }
}
