//! Data source `genesyscloud_routing_wrapupcode`: finds a wrap-up code by its exact name.
//!
//! The platform's name search can lag behind a create, so a lookup that finds nothing is
//! retried with backoff for a bounded time ([`LOOKUP_WAIT`]) before it fails; that makes the
//! data source usable in the same apply that creates the code.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::platform::WrapupCodeCatalogView;
use crate::resources::routing_wrapupcode::{TYPE_NAME, WrapupCodeModel, name_problem, state_of};
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::WrapupCodeRecord;
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::{
    Attribute, Block, DataSource, DataSourceRequest, Diagnostics, Model, Schema, TfValue,
};
use tfplugin_framework::{attr_name, attr_path};

/// The data source's configuration and result: the resource's attributes, of which only
/// `name` is configured.
pub type WrapupCodeDataModel = WrapupCodeModel;

/// How long a lookup that finds nothing keeps retrying.
pub const LOOKUP_WAIT: Duration = Duration::from_secs(15);

/// The data source.
pub struct RoutingWrapupCodeData {
    api: WrapupCodeCatalogView,
    wait: Duration,
}

impl RoutingWrapupCodeData {
    /// The data source, reaching the platform through the provider's wrap-up code view.
    pub fn new(api: WrapupCodeCatalogView) -> Arc<Self> {
        Self::with_wait(api, LOOKUP_WAIT)
    }

    /// The data source with a different retry budget (tests). The budget runs at the
    /// platform's `lag_wait_percent`.
    pub fn with_wait(api: WrapupCodeCatalogView, wait: Duration) -> Arc<Self> {
        Arc::new(RoutingWrapupCodeData { api, wait })
    }
}

#[async_trait]
impl DataSource for RoutingWrapupCodeData {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "Looks up a Genesys Cloud wrap-up code by its exact name. A code \
                              created moments ago is waited for (up to 15 seconds) while the \
                              platform's search catches up."
                    .into(),
                attributes: vec![
                    Attribute::computed(attr_name!(WrapupCodeDataModel.id), Type::String)
                        .description("The wrap-up code's ID (a UUID)."),
                    Attribute::required(attr_name!(WrapupCodeDataModel.name), Type::String)
                        .description("Exact wrap-up code name (case sensitive)."),
                    Attribute::computed(attr_name!(WrapupCodeDataModel.division_id), Type::String)
                        .description("ID of the division the code belongs to."),
                    Attribute::computed(attr_name!(WrapupCodeDataModel.description), Type::String)
                        .description("The wrap-up code description; null when it has none."),
                ],
                ..Block::default()
            },
        }
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = WrapupCodeDataModel::read(config, &mut diagnostics)
            && let Some(name) = config.name.as_str()
            && let Some(problem) = name_problem(name)
        {
            diagnostics.attribute_error(
                attr_path!(WrapupCodeDataModel.name),
                "Invalid wrap-up code name",
                problem,
            );
        }
        diagnostics
    }

    async fn read(&self, request: DataSourceRequest) -> (Option<Value>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let Some(config) = WrapupCodeDataModel::read(&request.config, &mut diagnostics) else {
            return (None, diagnostics);
        };
        let Some(name) = config.name.into_known() else {
            diagnostics.attribute_error(
                attr_path!(WrapupCodeDataModel.name),
                "Wrap-up code name is required",
                "Set `name` to the exact name of the wrap-up code to look up.",
            );
            return (None, diagnostics);
        };
        let codes = match self.api.get().await {
            Ok(codes) => codes,
            Err(error) => return (None, error.diagnostics("look up the wrap-up code")),
        };
        let wait = codes.lag_waits().scaled(self.wait);
        let deadline = tokio::time::Instant::now() + wait;
        let mut pause = Duration::from_millis(200);
        let matches = loop {
            let found: Vec<WrapupCodeRecord> = match codes.api().search_by_name(&name).await {
                Ok(found) => found.into_iter().filter(|code| code.name == name).collect(),
                Err(error) => {
                    return (
                        None,
                        error.diagnostics(&format!("look up wrap-up code {name:?}")),
                    );
                }
            };
            if !found.is_empty() || tokio::time::Instant::now() + pause > deadline {
                break found;
            }
            tokio::select! {
                () = request.cancel.cancelled() => break found,
                () = tokio::time::sleep(pause) => {}
            }
            pause = (pause * 2).min(Duration::from_secs(3));
        };
        match matches.as_slice() {
            [code] => {
                let state = WrapupCodeDataModel {
                    name: TfValue::Known(name),
                    ..state_of(code, None)
                };
                (Some(state.to_value()), diagnostics)
            }
            [] => {
                diagnostics.attribute_error(
                    attr_path!(WrapupCodeDataModel.name),
                    "Wrap-up code not found",
                    format!(
                        "No wrap-up code is named exactly {name:?} (searched for {} s). Names \
                         are case sensitive; check the spelling, and that these credentials \
                         can see the code's division.",
                        wait.as_secs()
                    ),
                );
                (None, diagnostics)
            }
            many => {
                let ids: Vec<&str> = many.iter().map(|code| code.id.as_str()).collect();
                diagnostics.attribute_error(
                    attr_path!(WrapupCodeDataModel.name),
                    "Several wrap-up codes have this name",
                    format!(
                        "Wrap-up codes {} are all named {name:?}; refer to the one you mean by \
                         ID instead.",
                        ids.join(", ")
                    ),
                );
                (None, diagnostics)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    fn data_source() -> Arc<RoutingWrapupCodeData> {
        RoutingWrapupCodeData::new(WrapupCodeCatalogView::lazy(|| {
            Err(crate::resources::support::PlatformError::NotConfigured(
                "unused".into(),
            ))
        }))
    }

    #[test]
    fn the_model_matches_the_schema() {
        assert_model_matches::<WrapupCodeDataModel>(&data_source().schema().value_type());
    }

    #[test]
    fn the_model_round_trips_with_null_and_unknown_in_computed_fields() {
        assert_round_trips(&[
            WrapupCodeDataModel {
                name: "Sale".into(),
                ..WrapupCodeDataModel::default()
            },
            WrapupCodeDataModel {
                id: TfValue::unknown(),
                name: TfValue::unknown(),
                division_id: TfValue::unknown(),
                description: TfValue::unknown(),
            },
            WrapupCodeDataModel {
                id: "i".into(),
                name: "Sale".into(),
                division_id: "d".into(),
                description: TfValue::Null,
            },
        ]);
    }
}
