//! Managed resource and data source RPCs: validate, upgrade, read, plan, apply, import,
//! config generation. Decodes what Terraform sends against the type's schema, applies the
//! protocol's defaults, calls the [`Resource`](super::Resource) and encodes its answer.

use crate::cty::Value;

use super::convert::diagnostics_to_proto;
use super::plan::{config_from_state, mark_computed_nulls_unknown, null_write_only};
use super::registry::ResourceEntry;
use super::resource::{run_create, run_read, run_update};
use super::server::{GrpcProvider, decode, encode};
use super::upgrade::{decode_current, decode_current_identity};
use super::{
    CancellationToken, CreateRequest, DataSourceRequest, DeleteRequest, Diagnostics, ImportRequest,
    PlanRequest, PlanResponse, ReadRequest, UpdateRequest,
};
use crate::tfplugin6::{
    self as proto, apply_resource_change, generate_resource_config, import_resource_state,
    plan_resource_change, read_data_source, read_resource, upgrade_resource_identity,
    upgrade_resource_state, validate_resource_config,
};

type RpcResult<T> = Result<T, Diagnostics>;

impl GrpcProvider {
    pub(super) async fn validate_resource_config(
        &self,
        request: validate_resource_config::Request,
    ) -> RpcResult<validate_resource_config::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let computed_blocks_allowed = request
            .client_capabilities
            .as_ref()
            .is_some_and(|capabilities| capabilities.computed_blocks_allowed);
        if entry.schema.block.has_computed_blocks() && !computed_blocks_allowed {
            // Such a Terraform ignores the computed flag and would treat the provider's value
            // as a configuration mismatch.
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Terraform too old for this resource type",
                format!(
                    "{} has nested blocks whose value the provider computes, which needs \
                     Terraform 1.16 or later (plugin protocol 6.11).",
                    request.type_name
                ),
            );
            return Err(diagnostics);
        }
        let config = decode("configuration", request.config.as_ref(), &entry.ty)?;
        let diagnostics = entry.resource.validate(&config).await;
        Ok(validate_resource_config::Response {
            diagnostics: diagnostics_to_proto(&diagnostics),
        })
    }

    pub(super) async fn upgrade_resource_state(
        &self,
        request: upgrade_resource_state::Request,
    ) -> RpcResult<upgrade_resource_state::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let raw = request.raw_state.unwrap_or_default();
        if raw.json.is_empty() {
            let mut diagnostics = Diagnostics::default();
            let detail = if raw.flatmap.is_empty() {
                "Terraform sent no stored state to upgrade.".to_string()
            } else {
                format!(
                    "The stored state of this {} is in the legacy flatmap format written by \
                     Terraform before 0.12, which this provider cannot read. Remove it from \
                     the state (`terraform state rm`) and import it again.",
                    request.type_name
                )
            };
            diagnostics.error("Unsupported stored state format", detail);
            return Err(diagnostics);
        }
        let current = entry.schema.version;
        let mut value = if request.version == current {
            decode_current(&raw.json, &entry.schema.block, &entry.ty)
                .map_err(|error| super::convert::value_error("stored state", &error))?
        } else if request.version < current {
            entry
                .resource
                .upgrade_state(request.version, &raw.json)
                .await?
        } else {
            return Err(newer_version(
                "state",
                &request.type_name,
                request.version,
                current,
            ));
        };
        null_write_only(&entry.schema.block, &mut value);
        Ok(upgrade_resource_state::Response {
            upgraded_state: Some(encode("upgraded state", &value, &entry.ty)?),
            diagnostics: Vec::new(),
        })
    }

    pub(super) async fn upgrade_resource_identity(
        &self,
        request: upgrade_resource_identity::Request,
    ) -> RpcResult<upgrade_resource_identity::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let Some((schema, ty)) = &entry.identity else {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Resource type has no identity",
                format!("{} has no resource identity to upgrade.", request.type_name),
            );
            return Err(diagnostics);
        };
        let raw = request.raw_identity.unwrap_or_default();
        let value = if request.version == schema.version {
            decode_current_identity(&raw.json, ty)
                .map_err(|error| super::convert::value_error("stored identity", &error))?
        } else if request.version < schema.version {
            entry
                .resource
                .upgrade_identity(request.version, &raw.json)
                .await?
        } else {
            return Err(newer_version(
                "identity",
                &request.type_name,
                request.version,
                schema.version,
            ));
        };
        Ok(upgrade_resource_identity::Response {
            upgraded_identity: Some(proto::ResourceIdentityData {
                identity_data: Some(encode("upgraded identity", &value, ty)?),
            }),
            diagnostics: Vec::new(),
        })
    }

    pub(super) async fn read_resource(
        &self,
        request: read_resource::Request,
        cancel: CancellationToken,
    ) -> RpcResult<read_resource::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let current_state = decode("current state", request.current_state.as_ref(), &entry.ty)?;
        let current_identity = decode_identity(entry, request.current_identity.as_ref())?;
        if let Some(deferred) = self.deferral(request.client_capabilities.as_ref()) {
            // Deferred: the state stays as it was until the provider can read.
            let (state, identity) = encode_pair(
                entry,
                &current_state,
                current_identity.as_ref(),
                "current state",
            )?;
            return Ok(read_resource::Response {
                new_state: Some(state),
                private: request.private,
                deferred: Some(deferred),
                new_identity: identity,
                ..Default::default()
            });
        }
        let read_request = ReadRequest {
            current_state,
            private: request.private,
            current_identity,
            cancel,
        };
        let result = run_read(entry.resource.as_ref(), read_request).await;
        let mut new_state = if result.is_removed() {
            Value::Null
        } else {
            result.new_state
        };
        let mut diagnostics = result.diagnostics;
        null_write_only(&entry.schema.block, &mut new_state);
        let identity = if new_state.is_null() {
            None
        } else {
            result.new_identity
        };
        let mut response = read_resource::Response {
            private: result.private,
            ..Default::default()
        };
        match encode_pair(entry, &new_state, identity.as_ref(), "refreshed state") {
            Ok((state, identity)) => {
                response.new_state = Some(state);
                response.new_identity = identity;
            }
            Err(errors) => diagnostics.extend(errors),
        }
        response.diagnostics = diagnostics_to_proto(&diagnostics);
        Ok(response)
    }

    pub(super) async fn plan_resource_change(
        &self,
        request: plan_resource_change::Request,
        cancel: CancellationToken,
    ) -> RpcResult<plan_resource_change::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let prior = decode("prior state", request.prior_state.as_ref(), &entry.ty)?;
        let proposed = decode(
            "proposed new state",
            request.proposed_new_state.as_ref(),
            &entry.ty,
        )?;
        let config = decode("configuration", request.config.as_ref(), &entry.ty)?;
        let prior_identity = decode_identity(entry, request.prior_identity.as_ref())?;
        if proposed.is_null() {
            // Destroy: nothing to ask the resource; the object will simply be deleted.
            let (planned_state, planned_identity) = encode_pair(
                entry,
                &Value::Null,
                prior_identity.as_ref(),
                "planned state",
            )?;
            return Ok(plan_resource_change::Response {
                planned_state: Some(planned_state),
                planned_private: request.prior_private,
                planned_identity,
                ..Default::default()
            });
        }
        let prior_state = (!prior.is_null()).then_some(prior);
        let mut planned_state = proposed.clone();
        if let Some(deferred) = self.deferral(request.client_capabilities.as_ref()) {
            // Deferred: whatever the provider would compute is unknown until it can work.
            mark_computed_nulls_unknown(&entry.schema.block, &mut planned_state);
            null_write_only(&entry.schema.block, &mut planned_state);
            let identity = prior_identity.filter(Value::is_wholly_known);
            let (state, identity) =
                encode_pair(entry, &planned_state, identity.as_ref(), "planned state")?;
            return Ok(plan_resource_change::Response {
                planned_state: Some(state),
                planned_private: request.prior_private,
                planned_identity: identity,
                deferred: Some(deferred),
                ..Default::default()
            });
        }
        if prior_state.is_none() {
            mark_computed_nulls_unknown(&entry.schema.block, &mut planned_state);
        }
        null_write_only(&entry.schema.block, &mut planned_state);
        let stores_planned_private = request
            .client_capabilities
            .as_ref()
            .is_some_and(|capabilities| capabilities.store_planned_private);
        let plan_request = PlanRequest {
            prior_state,
            proposed_new_state: proposed,
            config,
            prior_private: request.prior_private.clone(),
            prior_identity: prior_identity.clone(),
            planned_private: (stores_planned_private && !request.planned_private.is_empty())
                .then_some(request.planned_private),
            cancel,
        };
        let mut plan = PlanResponse {
            planned_state,
            requires_replace: Vec::new(),
            planned_private: request.prior_private,
            planned_identity: prior_identity,
            diagnostics: Diagnostics::default(),
        };
        entry.resource.modify_plan(&plan_request, &mut plan).await;
        null_write_only(&entry.schema.block, &mut plan.planned_state);
        let mut diagnostics = plan.diagnostics;
        let mut response = plan_resource_change::Response {
            requires_replace: plan
                .requires_replace
                .iter()
                .map(super::convert::path_to_proto)
                .collect(),
            planned_private: plan.planned_private,
            legacy_type_system: false,
            ..Default::default()
        };
        // Terraform 1.15 cannot render a plan whose identity is (partly) unknown ("Failed to
        // marshal plan to json") and then shows no plan at all, so an identity that only
        // becomes known on apply is planned as null, as terraform-plugin-framework does.
        let planned_identity = plan.planned_identity.filter(Value::is_wholly_known);
        if !diagnostics.has_errors() {
            match encode_pair(
                entry,
                &plan.planned_state,
                planned_identity.as_ref(),
                "planned state",
            ) {
                Ok((state, identity)) => {
                    response.planned_state = Some(state);
                    response.planned_identity = identity;
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        response.diagnostics = diagnostics_to_proto(&diagnostics);
        Ok(response)
    }

    /// ApplyResourceChange, with what it did for the log (it may outlive the call: see
    /// `guarded_write`).
    pub(super) async fn apply_resource_change(
        registry: std::sync::Arc<super::registry::Registry>,
        request: apply_resource_change::Request,
        cancel: CancellationToken,
    ) -> RpcResult<(apply_resource_change::Response, String)> {
        let entry = registry.resource(&request.type_name)?;
        let prior = decode("prior state", request.prior_state.as_ref(), &entry.ty)?;
        let planned = decode("planned state", request.planned_state.as_ref(), &entry.ty)?;
        let config = decode("configuration", request.config.as_ref(), &entry.ty)?;
        let planned_identity = decode_identity(entry, request.planned_identity.as_ref())?;
        let planned_private = request.planned_private;

        if planned.is_null() {
            let diagnostics = entry
                .resource
                .delete(DeleteRequest {
                    prior_state: prior.clone(),
                    private: planned_private.clone(),
                    cancel,
                })
                .await;
            let outcome = format!(
                "delete of {} {}: {}",
                request.type_name,
                id_of(&prior),
                super::server::summarize(&diagnostics)
            );
            // A failed delete keeps the object in state, as it may still exist.
            let (state, identity, private) = if diagnostics.has_errors() {
                (prior, planned_identity, planned_private)
            } else {
                (Value::Null, None, Vec::new())
            };
            let (new_state, new_identity) =
                encode_pair(entry, &state, identity.as_ref(), "new state")?;
            let response = apply_resource_change::Response {
                new_state: Some(new_state),
                private,
                diagnostics: diagnostics_to_proto(&diagnostics),
                legacy_type_system: false,
                new_identity,
            };
            return Ok((response, outcome));
        }

        let created = prior.is_null();
        let result = if created {
            let create = CreateRequest {
                config,
                planned_state: planned,
                planned_private,
                planned_identity,
                cancel,
            };
            run_create(entry.resource.as_ref(), create).await
        } else {
            let update = UpdateRequest {
                config,
                prior_state: prior,
                planned_state: planned,
                planned_private,
                planned_identity,
                cancel,
            };
            run_update(entry.resource.as_ref(), update).await
        };
        let mut diagnostics = result.diagnostics;
        let mut new_state = result.new_state;
        if new_state.is_null() && !diagnostics.has_errors() {
            let what = if created { "create" } else { "update" };
            diagnostics.error(
                format!("Missing resource state after {what}"),
                format!(
                    "{} set no state after a successful {what}. This is a bug in the provider.",
                    request.type_name
                ),
            );
        }
        null_write_only(&entry.schema.block, &mut new_state);
        let identity = if new_state.is_null() {
            None
        } else {
            result.new_identity.filter(Value::is_wholly_known)
        };
        let private = result.private;
        let mut response = apply_resource_change::Response {
            private,
            legacy_type_system: false,
            ..Default::default()
        };
        match encode_pair(entry, &new_state, identity.as_ref(), "new state") {
            Ok((state, identity)) => {
                response.new_state = Some(state);
                response.new_identity = identity;
            }
            Err(errors) => diagnostics.extend(errors),
        }
        let outcome = format!(
            "{} of {} {}: {}",
            if created { "create" } else { "update" },
            request.type_name,
            id_of(&new_state),
            super::server::summarize(&diagnostics)
        );
        response.diagnostics = diagnostics_to_proto(&diagnostics);
        Ok((response, outcome))
    }

    pub(super) async fn import_resource_state(
        &self,
        request: import_resource_state::Request,
        cancel: CancellationToken,
    ) -> RpcResult<import_resource_state::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let identity = decode_identity(entry, request.identity.as_ref())?;
        let id = (!request.id.is_empty()).then_some(request.id);
        if id.is_none() && identity.is_none() {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Nothing to import by",
                format!(
                    "Importing a {} needs an ID or a resource identity; Terraform sent neither.",
                    request.type_name
                ),
            );
            return Err(diagnostics);
        }
        if let Some(deferred) = self.deferral(request.client_capabilities.as_ref()) {
            // Deferred: Terraform imports on a later plan; the object is not known yet.
            let state = encode("imported state", &Value::unknown(), &entry.ty)?;
            return Ok(import_resource_state::Response {
                imported_resources: vec![import_resource_state::ImportedResource {
                    type_name: request.type_name.clone(),
                    state: Some(state),
                    private: Vec::new(),
                    identity: None,
                }],
                diagnostics: Vec::new(),
                deferred: Some(deferred),
            });
        }
        let result = entry
            .resource
            .import(ImportRequest {
                id,
                identity,
                cancel,
            })
            .await;
        let mut diagnostics = result.diagnostics;
        let mut imported_resources = Vec::new();
        for imported in result.imported {
            match encode_pair(
                entry,
                &imported.state,
                imported.identity.as_ref(),
                "imported state",
            ) {
                Ok((state, identity)) => {
                    imported_resources.push(import_resource_state::ImportedResource {
                        type_name: request.type_name.clone(),
                        state: Some(state),
                        private: imported.private,
                        identity,
                    })
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        Ok(import_resource_state::Response {
            imported_resources,
            diagnostics: diagnostics_to_proto(&diagnostics),
            deferred: None,
        })
    }

    pub(super) async fn read_data_source(
        &self,
        request: read_data_source::Request,
        cancel: CancellationToken,
    ) -> RpcResult<read_data_source::Response> {
        let entry = self.registry.data_source(&request.type_name)?;
        let config = decode("configuration", request.config.as_ref(), &entry.ty)?;
        if let Some(deferred) = self.deferral(request.client_capabilities.as_ref()) {
            // Deferred: what the data source would read is unknown until the provider can.
            let mut state = config;
            mark_computed_nulls_unknown(&entry.schema.block, &mut state);
            return Ok(read_data_source::Response {
                state: Some(encode("data source state", &state, &entry.ty)?),
                diagnostics: Vec::new(),
                deferred: Some(deferred),
            });
        }
        let (state, mut diagnostics) = entry
            .data_source
            .read(DataSourceRequest { config, cancel })
            .await;
        let mut response = read_data_source::Response::default();
        match state {
            Some(state) => match encode("data source state", &state, &entry.ty) {
                Ok(state) => response.state = Some(state),
                Err(errors) => diagnostics.extend(errors),
            },
            None if !diagnostics.has_errors() => diagnostics.error(
                "Data source returned no result",
                format!(
                    "{} finished without a result or an error. This is a bug in the provider.",
                    request.type_name
                ),
            ),
            None => {}
        }
        response.diagnostics = diagnostics_to_proto(&diagnostics);
        Ok(response)
    }

    pub(super) async fn generate_resource_config(
        &self,
        request: generate_resource_config::Request,
    ) -> RpcResult<generate_resource_config::Response> {
        let entry = self.registry.resource(&request.type_name)?;
        let state = decode("state", request.state.as_ref(), &entry.ty)?;
        let config = config_from_state(&entry.schema.block, &state);
        Ok(generate_resource_config::Response {
            config: Some(encode("generated configuration", &config, &entry.ty)?),
            diagnostics: Vec::new(),
        })
    }
}

/// `id "…"` of a state, for log lines (`no object` when there is none).
fn id_of(state: &Value) -> String {
    match state.attr_str("id") {
        Some(id) => format!("id {id:?}"),
        None if state.is_null() => "(no object)".to_owned(),
        None => "(no id)".to_owned(),
    }
}

/// Decodes an identity Terraform sent; `None` when the type has no identity or none came.
fn decode_identity(
    entry: &ResourceEntry,
    data: Option<&proto::ResourceIdentityData>,
) -> RpcResult<Option<Value>> {
    let Some((_, ty)) = &entry.identity else {
        return Ok(None);
    };
    let Some(value) = data.and_then(|data| data.identity_data.as_ref()) else {
        return Ok(None);
    };
    let identity = decode("resource identity", Some(value), ty)?;
    Ok((!identity.is_null()).then_some(identity))
}

/// Encodes a state and its identity (dropped when the type has no identity schema).
fn encode_pair(
    entry: &ResourceEntry,
    state: &Value,
    identity: Option<&Value>,
    what: &str,
) -> RpcResult<(proto::DynamicValue, Option<proto::ResourceIdentityData>)> {
    let state = encode(what, state, &entry.ty)?;
    let identity = match (&entry.identity, identity) {
        (Some((_, ty)), Some(identity)) => Some(proto::ResourceIdentityData {
            identity_data: Some(encode("resource identity", identity, ty)?),
        }),
        _ => None,
    };
    Ok((state, identity))
}

fn newer_version(what: &str, type_name: &str, stored: i64, current: i64) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Resource instance managed by newer provider version",
        format!(
            "The stored {what} of this {type_name} has schema version {stored}, but this \
             provider only knows versions up to {current}. Upgrade the provider to manage it."
        ),
    );
    diagnostics
}
