//! The provider's types, looked up by type name. Built once per server from the
//! [`Provider`], with each schema's value type computed up front.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::cty::Type;

use super::{
    Action, DataSource, Diagnostics, IdentitySchema, ListResource, Provider, Resource, Schema,
};

/// A managed resource type with its schema, value types and identity schema.
pub struct ResourceEntry {
    pub resource: Arc<dyn Resource>,
    pub schema: Schema,
    pub ty: Type,
    pub identity: Option<(IdentitySchema, Type)>,
}

/// A data source type with its schema and value type.
pub struct DataSourceEntry {
    pub data_source: Arc<dyn DataSource>,
    pub schema: Schema,
    pub ty: Type,
}

/// A list resource type with its `config` block schema and value type.
pub struct ListEntry {
    pub list: Arc<dyn ListResource>,
    pub schema: Schema,
    pub ty: Type,
}

/// An action type with its schema and value type.
pub struct ActionEntry {
    pub action: Arc<dyn Action>,
    pub schema: Schema,
    pub ty: Type,
}

/// Every type the provider offers, by type name, plus problems found while building the
/// maps (duplicate names, list resources without an identity-bearing managed resource),
/// which the server reports as errors with the schema.
pub struct Registry {
    pub provider_schema: Schema,
    pub provider_ty: Type,
    pub resources: BTreeMap<String, ResourceEntry>,
    pub data_sources: BTreeMap<String, DataSourceEntry>,
    pub lists: BTreeMap<String, ListEntry>,
    pub actions: BTreeMap<String, ActionEntry>,
    pub problems: Diagnostics,
}

impl Registry {
    /// Collects the provider's types and their schemas.
    pub fn new(provider: &dyn Provider) -> Self {
        let provider_schema = provider.schema();
        let mut problems = Diagnostics::default();
        let mut resources = BTreeMap::new();
        for resource in provider.resources() {
            let schema = resource.schema();
            let identity = resource.identity_schema().map(|identity| {
                let ty = identity.value_type();
                (identity, ty)
            });
            let entry = ResourceEntry {
                ty: schema.value_type(),
                schema,
                identity,
                resource,
            };
            insert_unique(
                &mut resources,
                entry.resource.type_name(),
                entry,
                "resource",
                &mut problems,
            );
        }
        let mut data_sources = BTreeMap::new();
        for data_source in provider.data_sources() {
            let schema = data_source.schema();
            let entry = DataSourceEntry {
                ty: schema.value_type(),
                schema,
                data_source,
            };
            let name = entry.data_source.type_name();
            insert_unique(&mut data_sources, name, entry, "data source", &mut problems);
        }
        let mut lists = BTreeMap::new();
        for list in provider.list_resources() {
            let schema = list.config_schema();
            let name = list.type_name();
            match resources.get(name) {
                Some(ResourceEntry {
                    identity: Some(_), ..
                }) => {}
                _ => problems.error(
                    "List resource without an identity",
                    format!(
                        "List resource type {name} needs a managed resource type of the same \
                         name with an identity schema. This is a bug in the provider."
                    ),
                ),
            }
            let entry = ListEntry {
                ty: schema.value_type(),
                schema,
                list,
            };
            insert_unique(&mut lists, name, entry, "list resource", &mut problems);
        }
        let mut actions = BTreeMap::new();
        for action in provider.actions() {
            let schema = action.schema();
            let entry = ActionEntry {
                ty: schema.value_type(),
                schema,
                action,
            };
            let name = entry.action.type_name();
            insert_unique(&mut actions, name, entry, "action", &mut problems);
        }
        Registry {
            provider_ty: provider_schema.value_type(),
            provider_schema,
            resources,
            data_sources,
            lists,
            actions,
            problems,
        }
    }

    /// The managed resource type `name`, or an error diagnostic saying it does not exist.
    pub fn resource(&self, name: &str) -> Result<&ResourceEntry, Diagnostics> {
        self.resources
            .get(name)
            .ok_or_else(|| unknown_type("resource", name))
    }

    /// The data source type `name`, or an error diagnostic.
    pub fn data_source(&self, name: &str) -> Result<&DataSourceEntry, Diagnostics> {
        self.data_sources
            .get(name)
            .ok_or_else(|| unknown_type("data source", name))
    }

    /// The list resource type `name`, or an error diagnostic.
    pub fn list(&self, name: &str) -> Result<&ListEntry, Diagnostics> {
        self.lists
            .get(name)
            .ok_or_else(|| unknown_type("list resource", name))
    }

    /// The action type `name`, or an error diagnostic.
    pub fn action(&self, name: &str) -> Result<&ActionEntry, Diagnostics> {
        self.actions
            .get(name)
            .ok_or_else(|| unknown_type("action", name))
    }
}

fn insert_unique<T>(
    map: &mut BTreeMap<String, T>,
    name: &str,
    entry: T,
    kind: &str,
    problems: &mut Diagnostics,
) {
    if map.insert(name.to_string(), entry).is_some() {
        problems.error(
            format!("Duplicate {kind} type"),
            format!(
                "The provider registers {kind} type {name} twice. This is a bug in the provider."
            ),
        );
    }
}

/// The diagnostic for a type name the provider does not offer.
pub fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        format!("Unknown {kind} type"),
        format!(
            "This provider has no {kind} type named {name:?}. Check the spelling, or whether a \
             newer provider version is needed."
        ),
    );
    diagnostics
}
