//! List resource `genesyscloud_routing_wrapupcode` for `terraform query`: every wrap-up code,
//! optionally narrowed to a name prefix and a division, sorted by name. Each result carries
//! the identity `{ id }`, the code's name as display name and, when asked, the resource
//! object, so `terraform query -generate-config-out` writes configuration that plans clean.

use std::sync::Arc;

use async_trait::async_trait;

use crate::platform::WrapupCodeCatalogView;
use crate::resources::routing_wrapupcode::{
    TYPE_NAME, identity_of, state_of, validate_division_id,
};
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::WrapupCodeRecord;
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::{
    Attribute, Block, Diagnostics, ListEvent, ListRequest, ListResource, ListSink, Model, Schema,
    TfValue,
};
use tfplugin_framework::{attr_name, attr_path, tf_model};

tf_model! {
    /// The list resource's `config` block.
    pub struct WrapupCodeListConfig {
        /// Only codes whose name starts with this text.
        pub name_prefix: TfValue<String>,
        /// Only codes in this division.
        pub division_id: TfValue<String>,
    }
}

/// The list resource.
pub struct RoutingWrapupCodeList {
    api: WrapupCodeCatalogView,
}

impl RoutingWrapupCodeList {
    /// The list resource, reaching the platform through the provider's wrap-up code view.
    pub fn new(api: WrapupCodeCatalogView) -> Arc<Self> {
        Arc::new(RoutingWrapupCodeList { api })
    }
}

/// Keeps the codes whose name starts with `prefix` (case sensitive) and that are in
/// `division_id`, sorted by name then ID.
pub fn select(
    codes: Vec<WrapupCodeRecord>,
    prefix: Option<&str>,
    division_id: Option<&str>,
) -> Vec<WrapupCodeRecord> {
    let mut selected: Vec<WrapupCodeRecord> = codes
        .into_iter()
        .filter(|code| prefix.is_none_or(|prefix| code.name.starts_with(prefix)))
        .filter(|code| {
            division_id.is_none_or(|division| code.division_id.as_deref() == Some(division))
        })
        .collect();
    selected.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    selected
}

#[async_trait]
impl ListResource for RoutingWrapupCodeList {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn config_schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "Finds wrap-up codes to import, sorted by name.".into(),
                attributes: vec![
                    Attribute::optional(attr_name!(WrapupCodeListConfig.name_prefix), Type::String)
                        .description(
                            "Only codes whose name starts with this text (case sensitive).",
                        ),
                    Attribute::optional(attr_name!(WrapupCodeListConfig.division_id), Type::String)
                        .description("Only codes in this division (a division UUID)."),
                ],
                ..Block::default()
            },
        }
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = WrapupCodeListConfig::read(config, &mut diagnostics) {
            validate_division_id(
                &config.division_id,
                attr_path!(WrapupCodeListConfig.division_id),
                &mut diagnostics,
            );
        }
        diagnostics
    }

    async fn list(&self, request: ListRequest, sink: ListSink) -> Diagnostics {
        let mut diagnostics = self.validate(&request.config).await;
        if diagnostics.has_errors() {
            return diagnostics;
        }
        let Some(config) = WrapupCodeListConfig::read(&request.config, &mut diagnostics) else {
            return diagnostics;
        };
        let prefix = config.name_prefix.as_str().filter(|p| !p.is_empty());
        let division_id = config.division_id.as_str();
        let codes = match self.api.get().await {
            Ok(codes) => codes,
            Err(error) => return error.diagnostics("list wrap-up codes"),
        };
        let found = match codes.api().list_filtered(prefix, division_id).await {
            Ok(found) => found,
            Err(error) => {
                error.to_diagnostics("list wrap-up codes", &mut diagnostics);
                return diagnostics;
            }
        };
        let limit = usize::try_from(request.limit).unwrap_or(0);
        for code in select(found, prefix, division_id).into_iter().take(limit) {
            let event = ListEvent {
                identity: identity_of(&code.id),
                display_name: code.name.clone(),
                resource_object: request
                    .include_resource
                    .then(|| state_of(&code, None).to_value()),
                diagnostics: Diagnostics::default(),
            };
            if !sink.send(event).await {
                break;
            }
        }
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    #[test]
    fn the_config_model_matches_the_config_schema() {
        let list = RoutingWrapupCodeList::new(WrapupCodeCatalogView::lazy(|| {
            Err(crate::resources::support::PlatformError::NotConfigured(
                "unused".into(),
            ))
        }));
        assert_model_matches::<WrapupCodeListConfig>(&list.config_schema().value_type());
    }

    #[test]
    fn the_config_model_round_trips_with_null_and_unknown_in_optional_fields() {
        assert_round_trips(&[
            WrapupCodeListConfig::default(),
            WrapupCodeListConfig {
                name_prefix: TfValue::unknown(),
                division_id: TfValue::unknown(),
            },
            WrapupCodeListConfig {
                name_prefix: "Sale".into(),
                division_id: "d".into(),
            },
        ]);
    }

    fn code(id: &str, name: &str, division: &str) -> WrapupCodeRecord {
        WrapupCodeRecord {
            id: id.into(),
            name: name.into(),
            division_id: Some(division.into()),
            description: None,
            ..WrapupCodeRecord::default()
        }
    }

    #[test]
    fn selection_filters_by_prefix_and_division_and_sorts_by_name() {
        let codes = vec![
            code("3", "Sale lost", "d1"),
            code("1", "Sale completed", "d1"),
            code("2", "sale (lowercase)", "d1"),
            code("4", "Sale elsewhere", "d2"),
            code("5", "Refund", "d1"),
        ];
        let names = |selected: Vec<WrapupCodeRecord>| -> Vec<String> {
            selected.into_iter().map(|c| c.name).collect()
        };
        assert_eq!(
            names(select(codes.clone(), Some("Sale"), Some("d1"))),
            vec!["Sale completed", "Sale lost"]
        );
        assert_eq!(
            names(select(codes.clone(), None, Some("d2"))),
            vec!["Sale elsewhere"]
        );
        assert_eq!(select(codes, None, None).len(), 5);
    }
}
