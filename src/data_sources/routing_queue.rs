//! Data source `genesyscloud_routing_queue`: finds a queue by its exact name, like the official
//! provider's data source of that name.

use std::sync::Arc;

use async_trait::async_trait;

use crate::platform::QueuesView;
use crate::resources::support::PlatformDiagnostics;
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::tf_model;
use tfplugin_framework::{Attribute, Block, DataSource, Diagnostics, Model, Schema, TfValue};
use tfplugin_framework::{attr_name, attr_path};

/// The Terraform type name.
pub const TYPE_NAME: &str = "genesyscloud_routing_queue";

tf_model! {
    /// Configuration and result of the data source.
    pub struct RoutingQueueDataModel {
        /// The queue's ID (computed).
        pub id: TfValue<String>,
        /// The exact name to look up (required).
        pub name: TfValue<String>,
        /// The queue's division (computed).
        pub division_id: TfValue<String>,
    }
}

/// The data source.
pub struct RoutingQueueData {
    queues: QueuesView,
}

impl RoutingQueueData {
    /// The data source over the provider's queue view.
    pub fn new(queues: QueuesView) -> Arc<Self> {
        Arc::new(RoutingQueueData { queues })
    }
}

/// The data source schema.
pub fn data_source_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Looks up a Genesys Cloud routing queue by its exact name (ignoring \
                          case), for example to assign wrap-up codes to it or to find its \
                          conversations."
                .into(),
            attributes: vec![
                Attribute::computed(attr_name!(RoutingQueueDataModel.id), Type::String)
                    .description("The queue's ID (a UUID)."),
                Attribute::required(attr_name!(RoutingQueueDataModel.name), Type::String)
                    .description(
                        "Exact queue name; case is ignored. Exactly one queue must have it.",
                    ),
                Attribute::computed(attr_name!(RoutingQueueDataModel.division_id), Type::String)
                    .description("ID of the division the queue belongs to."),
            ],
            ..Block::default()
        },
    }
}

#[async_trait]
impl DataSource for RoutingQueueData {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        data_source_schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = RoutingQueueDataModel::read(config, &mut diagnostics)
            && config.name.as_str().is_some_and(|n| n.trim().is_empty())
        {
            diagnostics.attribute_error(
                attr_path!(RoutingQueueDataModel.name),
                "Invalid queue name",
                "The name must not be empty.",
            );
        }
        diagnostics
    }

    async fn read(&self, config: Value) -> (Option<Value>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let Some(config) = RoutingQueueDataModel::read(&config, &mut diagnostics) else {
            return (None, diagnostics);
        };
        let Some(name) = config.name.into_known() else {
            diagnostics.attribute_error(
                attr_path!(RoutingQueueDataModel.name),
                "Queue name is required",
                "Set `name` to the exact name of the queue to look up.",
            );
            return (None, diagnostics);
        };
        let found = match self.queues.get().await {
            Ok(queues) => queues.find_by_name(&name).await,
            Err(error) => Err(error),
        };
        let queues = match found {
            Ok(queues) => queues,
            Err(error) => return (None, error.diagnostics(&format!("look up queue {name:?}"))),
        };
        match queues.as_slice() {
            [queue] => {
                let state = RoutingQueueDataModel {
                    id: queue.id.clone().into(),
                    name: TfValue::Known(name),
                    division_id: queue.division.as_ref().and_then(|d| d.id.clone()).into(),
                };
                (Some(state.to_value()), diagnostics)
            }
            [] => {
                diagnostics.attribute_error(
                    attr_path!(RoutingQueueDataModel.name),
                    "Queue not found",
                    format!(
                        "No queue is named {name:?}. Check the spelling, and that these \
                         credentials can see the queue's division."
                    ),
                );
                (None, diagnostics)
            }
            many => {
                let ids: Vec<&str> = many.iter().map(|q| q.id.as_str()).collect();
                diagnostics.attribute_error(
                    attr_path!(RoutingQueueDataModel.name),
                    "Several queues have this name",
                    format!(
                        "Queues {} are all named {name:?} (names are compared ignoring case); \
                         refer to the one you mean by ID instead.",
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

    #[test]
    fn the_model_matches_the_schema_and_round_trips() {
        assert_model_matches::<RoutingQueueDataModel>(&data_source_schema().value_type());
        assert_round_trips(&[
            RoutingQueueDataModel {
                name: "Support".into(),
                ..RoutingQueueDataModel::default()
            },
            RoutingQueueDataModel {
                id: "q".into(),
                name: "Support".into(),
                division_id: "d".into(),
            },
        ]);
    }
}
