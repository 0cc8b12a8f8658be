//! Resource `genesyscloud_routing_queue_wrapupcodes`: the set of wrap-up codes assigned to one
//! queue, authoritative for that queue.
//!
//! - Plan: `queue_id` replaces; the queue and every code are checked to exist, with the error
//!   on the attribute at fault.
//! - Create/update: the missing codes in POSTs of at most 100 (the platform's limit per
//!   request), one DELETE per extra code, then a paged read of what the queue holds. Each
//!   change is recorded as soon as the platform made it, and a failed add reads the queue
//!   again (earlier chunks may have landed), so a failure half-way leaves in state what the
//!   queue holds.
//! - Reaches the platform through its queue view ([`crate::platform::Queues`]).
//! - Read: the queue's codes, paged; codes added or removed outside show as drift.
//! - Delete: removes the codes this resource holds. Import by queue ID; identity `{ queue_id }`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::platform::{ApiFailure, PlatformError, Queues, QueuesView, Subject};
use crate::resources::support::PlatformDiagnostics;
use crate::resources::support::{StringSet, is_uuid};
use genesys_client::MAX_CODES_PER_ADD;
use tfplugin_framework::CancellationToken;
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::tf_model;
use tfplugin_framework::{
    ApplyResponse, Attribute, Block, CreateRequest, DeleteRequest, Diagnostics, IdentitySchema,
    ImportRequest, ImportResult, ImportedResource, Model, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, TfValue, UpdateRequest,
};
use tfplugin_framework::{attr_name, attr_path};

/// The Terraform type name.
pub const TYPE_NAME: &str = "genesyscloud_routing_queue_wrapupcodes";

tf_model! {
    /// Configuration, plan and state.
    pub struct QueueWrapupCodesModel {
        /// The queue's ID (computed, equals `queue_id`).
        pub id: TfValue<String>,
        /// The queue (required; replaces on change).
        pub queue_id: TfValue<String>,
        /// The codes the queue holds (required).
        pub wrapup_code_ids: TfValue<StringSet>,
    }
}

tf_model! {
    /// The identity `{ queue_id }`.
    pub struct QueueWrapupCodesIdentity {
        pub queue_id: TfValue<String>,
    }
}

/// The resource schema.
pub fn resource_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "The wrap-up codes assigned to one Genesys Cloud queue. Authoritative \
                          for that queue: codes added or removed outside Terraform show as \
                          drift, and apply restores the set. A queue managed by the official \
                          provider's `genesyscloud_routing_queue` must leave its `wrapup_codes` \
                          unset."
                .into(),
            attributes: vec![
                Attribute::computed(attr_name!(QueueWrapupCodesModel.id), Type::String)
                    .description("The queue's ID, as `queue_id`."),
                Attribute::required(attr_name!(QueueWrapupCodesModel.queue_id), Type::String)
                    .description("ID of the queue (a UUID). Changing it replaces the resource."),
                Attribute::required(
                    attr_name!(QueueWrapupCodesModel.wrapup_code_ids),
                    Type::set(Type::String),
                )
                .description(
                    "IDs of the wrap-up codes the queue holds; any other code is removed from \
                     the queue.",
                ),
            ],
            ..Block::default()
        },
    }
}

/// The identity schema: `{ queue_id }`, version 0.
pub fn identity_schema() -> IdentitySchema {
    IdentitySchema::single_id(
        attr_name!(QueueWrapupCodesIdentity.queue_id),
        "The queue's ID (a UUID).",
    )
}

fn identity_of(queue_id: &str) -> Value {
    QueueWrapupCodesIdentity {
        queue_id: queue_id.into(),
    }
    .to_value()
}

fn state_of(queue_id: &str, codes: BTreeSet<String>) -> QueueWrapupCodesModel {
    QueueWrapupCodesModel {
        id: queue_id.into(),
        queue_id: queue_id.into(),
        wrapup_code_ids: TfValue::Known(StringSet::of(codes)),
    }
}

/// The resource.
pub struct RoutingQueueWrapupCodes {
    queues: QueuesView,
}

impl RoutingQueueWrapupCodes {
    /// The resource over the provider's queue view.
    pub fn new(queues: QueuesView) -> Arc<Self> {
        Arc::new(RoutingQueueWrapupCodes { queues })
    }

    async fn queues(&self, diagnostics: &mut Diagnostics) -> Option<Arc<dyn Queues>> {
        match self.queues.get().await {
            Ok(queues) => Some(queues),
            Err(error) => {
                error.to_diagnostics("reach Genesys Cloud", diagnostics);
                None
            }
        }
    }
}

impl RoutingQueueWrapupCodes {
    /// Create and update: makes the queue hold the planned codes.
    async fn apply(&self, planned_state: &Value, response: &mut ApplyResponse) {
        let Some(planned) = QueueWrapupCodesModel::read(planned_state, &mut response.diagnostics)
        else {
            return;
        };
        let wanted = planned.wrapup_code_ids.known().and_then(StringSet::known);
        let (Some(queue_id), Some(wanted)) = (planned.queue_id.as_str(), wanted.as_ref()) else {
            response.diagnostics.error(
                "Queue and codes must be known",
                "queue_id and wrapup_code_ids must be known when the resource is applied.",
            );
            return;
        };
        let Some(queues) = self.queues(&mut response.diagnostics).await else {
            return;
        };
        reconcile(&*queues, queue_id, wanted, response).await;
    }
}

fn unknown_queue(queue_id: &str, diagnostics: &mut Diagnostics) {
    diagnostics.attribute_error(
        attr_path!(QueueWrapupCodesModel.queue_id),
        "Queue not found",
        format!(
            "No queue has ID {queue_id:?}, or these credentials cannot see it. Look queues up \
             by name with the genesyscloud_routing_queue data source."
        ),
    );
}

/// Records in `response` that queue `queue_id` holds `codes`.
fn record(response: &mut ApplyResponse, queue_id: &str, codes: BTreeSet<String>) {
    response.new_state = state_of(queue_id, codes).to_value();
    response.new_identity = Some(identity_of(queue_id));
}

/// Makes the queue hold exactly `wanted`: POSTs of at most 100 missing codes, a DELETE per
/// extra, then a read of what it holds. Each change is recorded in `response` as soon as the platform
/// made it, so a later failure (an error diagnostic) leaves in state what the queue holds.
async fn reconcile(
    queues: &dyn Queues,
    queue_id: &str,
    wanted: &BTreeSet<String>,
    response: &mut ApplyResponse,
) {
    let diagnostics = &mut response.diagnostics;
    let mut held = match queues.wrapup_code_ids(queue_id).await {
        Ok(Some(current)) => current,
        Ok(None) => return unknown_queue(queue_id, diagnostics),
        Err(error) => {
            return error.to_diagnostics("read the queue's wrap-up codes", diagnostics);
        }
    };
    let missing: Vec<String> = wanted.difference(&held).cloned().collect();
    if !missing.is_empty() {
        let ids: Vec<&str> = missing.iter().map(String::as_str).collect();
        if let Err(failure) = queues.add_wrapup_codes(queue_id, &ids).await {
            add_failed(failure, queue_id, &ids, diagnostics);
            // Chunks sent before the failure may have landed: state is what the queue holds.
            if let Ok(Some(now)) = queues.wrapup_code_ids(queue_id).await {
                record(response, queue_id, now);
            }
            return;
        }
        held.extend(missing);
        record(response, queue_id, held.clone());
    }
    let extras: Vec<String> = held.difference(wanted).cloned().collect();
    for extra in extras {
        if let Err(error) = queues.remove_wrapup_code(queue_id, &extra).await {
            return error.to_diagnostics(
                &format!("remove wrap-up code {extra} from the queue"),
                &mut response.diagnostics,
            );
        }
        held.remove(&extra);
        record(response, queue_id, held.clone());
    }
    match queues.wrapup_code_ids(queue_id).await {
        Ok(Some(now)) => record(response, queue_id, now),
        Ok(None) => unknown_queue(queue_id, &mut response.diagnostics),
        Err(error) => {
            error.to_diagnostics("read the queue's wrap-up codes", &mut response.diagnostics)
        }
    }
}

/// The error for a refused add: on the codes the platform named (as the error's entity or
/// in its message), else on the request as a whole (its size, the queue), never blaming a
/// code the platform did not name.
fn add_failed(
    failure: PlatformError,
    queue_id: &str,
    missing: &[&str],
    diagnostics: &mut Diagnostics,
) {
    let named = |detail: &ApiFailure| -> Vec<&str> {
        missing
            .iter()
            .copied()
            .filter(|code| {
                detail.message.contains(code)
                    || detail.subjects.iter().any(
                        |subject| matches!(subject, Subject::Entity(id) if id.eq_ignore_ascii_case(code)),
                    )
            })
            .collect()
    };
    match failure {
        PlatformError::Invalid(detail) | PlatformError::NotFound(detail)
            if !named(&detail).is_empty() =>
        {
            diagnostics.attribute_error(
                attr_path!(QueueWrapupCodesModel.wrapup_code_ids),
                "The platform refused a wrap-up code for this queue",
                format!(
                    "Adding {} to queue {queue_id} failed: {detail}",
                    named(&detail).join(", ")
                ),
            );
        }
        PlatformError::Invalid(detail) => diagnostics.attribute_error(
            attr_path!(QueueWrapupCodesModel.wrapup_code_ids),
            "The platform refused to add wrap-up codes to this queue",
            format!(
                "Adding {} code(s) to queue {queue_id}, in requests of at most \
                 {MAX_CODES_PER_ADD}, failed: {detail}. The platform named no code; codes \
                 added before the failure stay assigned and are kept in state.",
                missing.len()
            ),
        ),
        PlatformError::NotFound(_) => unknown_queue(queue_id, diagnostics),
        other => other.to_diagnostics("assign wrap-up codes to the queue", diagnostics),
    }
}

/// Waits before each read of a code the listing left out: a code created moments ago (earlier
/// in this apply) may not be listed yet, so each is read by ID, for about 3 s in all.
const CONFIRM_DELAYS: [Duration; 6] = crate::platform::READ_AFTER_WRITE_DELAYS;

/// Of the codes the listing did not show, those that reading each by ID does not find either,
/// within [`CONFIRM_DELAYS`]. The listing lags behind writes; only a code no read finds is
/// unknown.
async fn confirm_missing<'a>(
    queues: &dyn Queues,
    mut missing: Vec<&'a str>,
    cancel: &CancellationToken,
) -> Result<Vec<&'a str>, PlatformError> {
    for delay in CONFIRM_DELAYS {
        if missing.is_empty() {
            break;
        }
        // A stop ends the delay: the reads then go out at once.
        tokio::select! {
            () = cancel.cancelled() => {}
            () = tokio::time::sleep(queues.lag_waits().scaled(delay)) => {}
        }
        let mut still = Vec::new();
        for id in missing {
            if !queues.code_exists(id).await? {
                still.push(id);
            }
        }
        missing = still;
    }
    Ok(missing)
}

fn check_ids(model: &QueueWrapupCodesModel, diagnostics: &mut Diagnostics) {
    if let Some(queue_id) = model.queue_id.as_str()
        && !is_uuid(queue_id)
    {
        diagnostics.attribute_error(
            attr_path!(QueueWrapupCodesModel.queue_id),
            "Invalid queue ID",
            format!("{queue_id:?} is not a queue ID (a UUID)."),
        );
    }
    if let Some(codes) = model.wrapup_code_ids.known()
        && let Some(bad) = codes.known_elements().find(|c| !is_uuid(c))
    {
        diagnostics.attribute_error(
            attr_path!(QueueWrapupCodesModel.wrapup_code_ids),
            "Invalid wrap-up code ID",
            format!(
                "{bad:?} is not a wrap-up code ID (a UUID); use the code's `id`, e.g. \
                 genesyscloud_routing_wrapupcode.<name>.id."
            ),
        );
    }
}

#[async_trait]
impl Resource for RoutingQueueWrapupCodes {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        resource_schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity_schema())
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if let Some(config) = QueueWrapupCodesModel::read(config, &mut diagnostics) {
            check_ids(&config, &mut diagnostics);
        }
        diagnostics
    }

    async fn modify_plan(&self, request: &PlanRequest, plan: &mut PlanResponse) {
        let Some(mut planned) =
            QueueWrapupCodesModel::read(&request.proposed_new_state, &mut plan.diagnostics)
        else {
            return;
        };
        if planned.queue_id.is_null() {
            return;
        }
        let prior = request
            .prior_state
            .as_ref()
            .and_then(|s| QueueWrapupCodesModel::from_value(s).ok());
        planned.id = planned.queue_id.clone();
        if let Some(prior) = &prior
            && prior.queue_id != planned.queue_id
        {
            plan.requires_replace
                .push(attr_path!(QueueWrapupCodesModel.queue_id));
        }
        plan.planned_identity = planned.queue_id.as_str().map(identity_of);
        plan.planned_state = planned.to_value();
        // Check against the platform only what is known and changes.
        let Some(queue_id) = planned.queue_id.as_str() else {
            return;
        };
        if !is_uuid(queue_id) {
            return;
        }
        let Some(queues) = self.queues(&mut plan.diagnostics).await else {
            return;
        };
        if prior.as_ref().and_then(|p| p.queue_id.as_str()) != Some(queue_id) {
            match queues.exists(queue_id).await {
                Ok(true) => {}
                Ok(false) => return unknown_queue(queue_id, &mut plan.diagnostics),
                Err(error) => {
                    return error.to_diagnostics("look up the queue", &mut plan.diagnostics);
                }
            }
        }
        let prior_codes: BTreeSet<String> = prior
            .as_ref()
            .and_then(|p| p.wrapup_code_ids.known())
            .map(|s| s.known_elements().map(str::to_owned).collect())
            .unwrap_or_default();
        let Some(wanted) = planned.wrapup_code_ids.known() else {
            return;
        };
        let new: Vec<String> = wanted
            .known_elements()
            .filter(|c| is_uuid(c) && !prior_codes.contains(*c))
            .map(str::to_owned)
            .collect();
        if new.is_empty() {
            return;
        }
        match queues.listed_codes(&new).await {
            Ok(found) => {
                let listed_missing: Vec<&str> = new
                    .iter()
                    .filter(|c| !found.contains(*c))
                    .map(String::as_str)
                    .collect();
                let unknown = match confirm_missing(&*queues, listed_missing, &request.cancel).await
                {
                    Ok(unknown) => unknown,
                    Err(error) => {
                        return error
                            .to_diagnostics("look up the wrap-up codes", &mut plan.diagnostics);
                    }
                };
                if !unknown.is_empty() {
                    plan.diagnostics.attribute_error(
                        attr_path!(QueueWrapupCodesModel.wrapup_code_ids),
                        "Unknown wrap-up code",
                        format!(
                            "No wrap-up code has ID {}; check the IDs, or create the codes with \
                             genesyscloud_routing_wrapupcode.",
                            unknown.join(", ")
                        ),
                    );
                }
            }
            Err(error) => error.to_diagnostics("look up the wrap-up codes", &mut plan.diagnostics),
        }
    }

    async fn create(&self, request: CreateRequest, response: &mut ApplyResponse) {
        self.apply(&request.planned_state, response).await;
    }

    async fn read(&self, request: ReadRequest, response: &mut ReadResponse) {
        let Some(current) =
            QueueWrapupCodesModel::read(&request.current_state, &mut response.diagnostics)
        else {
            return;
        };
        let Some(queue_id) = current.queue_id.as_str() else {
            return;
        };
        let Some(queues) = self.queues(&mut response.diagnostics).await else {
            return;
        };
        match queues.wrapup_code_ids(queue_id).await {
            Ok(Some(codes)) => {
                response.new_state = state_of(queue_id, codes).to_value();
                response.new_identity = Some(identity_of(queue_id));
            }
            Ok(None) => response.remove(),
            Err(error) => {
                error.to_diagnostics("read the queue's wrap-up codes", &mut response.diagnostics)
            }
        }
    }

    async fn update(&self, request: UpdateRequest, response: &mut ApplyResponse) {
        self.apply(&request.planned_state, response).await;
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let Some(prior) = QueueWrapupCodesModel::read(&request.prior_state, &mut diagnostics)
        else {
            return diagnostics;
        };
        let Some(queue_id) = prior.queue_id.as_str() else {
            return diagnostics;
        };
        let Some(queues) = self.queues(&mut diagnostics).await else {
            return diagnostics;
        };
        let codes: Vec<String> = prior
            .wrapup_code_ids
            .known()
            .map(|s| s.known_elements().map(str::to_owned).collect())
            .unwrap_or_default();
        for code in &codes {
            if let Err(error) = queues.remove_wrapup_code(queue_id, code).await {
                error.to_diagnostics(
                    &format!("remove wrap-up code {code} from queue {queue_id}"),
                    &mut diagnostics,
                );
            }
        }
        diagnostics
    }

    async fn import(&self, request: ImportRequest) -> ImportResult {
        let mut result = ImportResult::default();
        let queue_id = match (&request.id, &request.identity) {
            (Some(id), _) => Some(id.trim().to_owned()),
            (None, Some(identity)) => QueueWrapupCodesIdentity::from_value(identity)
                .ok()
                .and_then(|i| i.queue_id.into_known()),
            (None, None) => None,
        };
        match queue_id.filter(|id| is_uuid(id)) {
            Some(queue_id) => result.imported.push(ImportedResource {
                state: QueueWrapupCodesModel {
                    id: queue_id.clone().into(),
                    queue_id: queue_id.clone().into(),
                    wrapup_code_ids: TfValue::Null,
                }
                .to_value(),
                private: Vec::new(),
                identity: Some(identity_of(&queue_id)),
            }),
            None => result.diagnostics.error(
                "Invalid import ID",
                "Import by the queue's ID (a UUID), or by identity `{ queue_id = \"...\" }`.",
            ),
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfplugin_framework::model::{assert_model_matches, assert_round_trips};

    #[test]
    fn the_models_match_the_schemas_and_round_trip() {
        assert_model_matches::<QueueWrapupCodesModel>(&resource_schema().value_type());
        assert_model_matches::<QueueWrapupCodesIdentity>(&identity_schema().value_type());
        assert_round_trips(&[
            QueueWrapupCodesModel::default(),
            QueueWrapupCodesModel {
                id: TfValue::unknown(),
                queue_id: "q".into(),
                wrapup_code_ids: TfValue::Known(StringSet::of(["a".to_owned()])),
            },
        ]);
    }

    #[test]
    fn ids_that_are_not_uuids_are_errors_on_their_attribute() {
        let mut diagnostics = Diagnostics::default();
        check_ids(
            &QueueWrapupCodesModel {
                id: TfValue::Null,
                queue_id: "Support".into(),
                wrapup_code_ids: TfValue::Known(StringSet::of(["Sale".to_owned()])),
            },
            &mut diagnostics,
        );
        assert_eq!(diagnostics.0.len(), 2);
    }
}
