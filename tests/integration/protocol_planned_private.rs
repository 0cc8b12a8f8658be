//! Protocol 6.11 planned private data (Terraform 1.16+), at the protocol level with the real
//! provider served in-process against the in-process emulator: a Terraform that keeps the
//! first plan's private data (`store_planned_private`) hands it back to the plan it makes in
//! the apply process, which then resolves nothing again, so an apply of a wrap-up by name costs
//! its floor (a login, the write, the read-back). Without the capability (Terraform 1.15), or
//! with private data of another target, that plan resolves through the API as before. No 1.16
//! CLI can be installed here, so the requests are built as Terraform 1.16 builds them.

use std::sync::Arc;

use crate::client_support::{self, Counts, Emu, fast_retries};
use crate::protocol_support::{assert_no_errors, dv, serve, value_of};
use genesys_client::models::WrapupCodeRequest;
use genesyscloud_provider::provider::GenesysProvider;
use serde_json::json;
use tfplugin_framework::Provider;
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::tfplugin6::provider_client::ProviderClient;
use tfplugin_framework::tfplugin6::{self as proto};
use tonic::transport::Channel;

const TYPE_NAME: &str = "genesyscloud_conversation_wrapup";
const CODE_NAME: &str = "Sale completed";
const WRITE: &str = "POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup";

/// An object of `block`'s attributes, null but for `set`.
fn object_of(block: &tfplugin_framework::Block, set: &[(&str, Value)]) -> Value {
    Value::object(block.attributes.iter().map(|attribute| {
        let value = set
            .iter()
            .find(|(name, _)| *name == attribute.name)
            .map_or(Value::Null, |(_, value)| value.clone());
        (attribute.name.as_str(), value)
    }))
}

/// Capabilities as Terraform 1.16 sends them (`keeps` = store_planned_private), or 1.15.
fn capabilities(keeps: bool) -> Option<proto::ClientCapabilities> {
    Some(proto::ClientCapabilities {
        write_only_attributes_allowed: true,
        store_planned_private: keeps,
        computed_blocks_allowed: keeps,
        ..Default::default()
    })
}

/// A provider process: the real provider served in-process and configured for the emulator,
/// as Terraform starts one for the plan and another for the apply.
struct Process {
    client: ProviderClient<Channel>,
    server: tokio::task::JoinHandle<()>,
    ty: Type,
}

impl Drop for Process {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Process {
    async fn start(emu: &Emu, keeps: bool) -> Process {
        let provider = GenesysProvider::new();
        let provider_block = provider.schema().block;
        let ty = provider
            .resources()
            .into_iter()
            .find(|resource| resource.type_name() == TYPE_NAME)
            .expect("the provider offers the wrap-up resource")
            .schema()
            .value_type();
        let config = object_of(
            &provider_block,
            &[
                ("api_url", Value::string(&emu.url)),
                ("login_url", Value::string(&emu.url)),
                ("oauthclient_id", Value::string(client_support::CLIENT_ID)),
                (
                    "oauthclient_secret",
                    Value::string(client_support::CLIENT_SECRET),
                ),
            ],
        );
        let (mut client, server) = serve(Arc::new(provider)).await;
        let configured = client
            .configure_provider(proto::configure_provider::Request {
                terraform_version: if keeps { "1.16.0" } else { "1.15.5" }.into(),
                config: dv(&config, &provider_block.value_type()),
                client_capabilities: capabilities(keeps),
            })
            .await
            .expect("ConfigureProvider")
            .into_inner();
        assert_no_errors(&configured.diagnostics);
        Process { client, server, ty }
    }

    /// A create plan of `config`, with the first plan's private data when given.
    async fn plan(
        &mut self,
        config: &Value,
        keeps: bool,
        planned_private: Vec<u8>,
    ) -> proto::plan_resource_change::Response {
        let planned = self
            .client
            .plan_resource_change(proto::plan_resource_change::Request {
                type_name: TYPE_NAME.into(),
                prior_state: dv(&Value::Null, &self.ty),
                proposed_new_state: dv(config, &self.ty),
                config: dv(config, &self.ty),
                client_capabilities: capabilities(keeps),
                planned_private,
                ..Default::default()
            })
            .await
            .expect("PlanResourceChange")
            .into_inner();
        assert_no_errors(&planned.diagnostics);
        planned
    }
}

/// An org with the code on a queue; returns the emulator, the queue and the code's ID.
async fn org() -> (Emu, String, String) {
    let emu = client_support::start(client_support::emulator_config()).await;
    let code = emu
        .client(fast_retries(2))
        .wrapup_codes()
        .create(&WrapupCodeRequest {
            name: CODE_NAME.into(),
            division: None,
            description: None,
        })
        .await
        .expect("the code is created");
    let queue = uuid::Uuid::new_v4().to_string();
    emu.assign_queue_codes(&queue, &[&code.id]).await;
    (emu, queue, code.id)
}

/// The configuration that wraps up a new finished call on `queue` by the code's name.
async fn finished_call(emu: &Emu, queue: &str) -> Value {
    let seeded = emu
        .seed_conversation(json!({
            "mediaType": "call",
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": "disconnected", "queueId": queue, "wrapupRequired": true}
            ]
        }))
        .await;
    let conversation_id = seeded["conversationId"].as_str().expect("conversation id");
    let block = GenesysProvider::new()
        .resources()
        .into_iter()
        .find(|resource| resource.type_name() == TYPE_NAME)
        .expect("the wrap-up resource")
        .schema()
        .block;
    object_of(
        &block,
        &[
            ("conversation_id", Value::string(conversation_id)),
            ("wrapup_code_name", Value::string(CODE_NAME)),
            ("notes", Value::string("back-filled by ops")),
        ],
    )
}

/// The API calls `work` made: the emulator's request counter before and after, as a
/// counter of the difference.
async fn calls_of<T>(emu: &Emu, work: impl std::future::Future<Output = T>) -> (T, Counts) {
    let before = emu.counts().await;
    let out = work.await;
    let after = emu.counts().await;
    let mut routes = serde_json::Map::new();
    if let Some(after_routes) = after.0["routes"].as_object() {
        for (route, count) in after_routes {
            let made = count.as_u64().unwrap_or(0) - before.of(route);
            if made > 0 {
                routes.insert(route.clone(), json!(made));
            }
        }
    }
    let total = after.total() - before.total();
    (out, Counts(json!({"routes": routes, "total": total})))
}

#[tokio::test]
async fn the_apply_plan_takes_the_first_plans_resolution_and_reads_nothing() {
    let (emu, queue, code_id) = org().await;
    let config = finished_call(&emu, &queue).await;
    let mut plan_process = Process::start(&emu, true).await;
    let (first, counts) = calls_of(&emu, plan_process.plan(&config, true, Vec::new())).await;
    assert!(
        counts.total() >= 2,
        "the first plan resolves through the API (login, conversation, queue codes): {:?}",
        counts.0
    );
    assert!(
        !first.planned_private.is_empty(),
        "the plan carries its resolution"
    );
    let first_state = value_of(first.planned_state.as_ref(), &plan_process.ty);
    assert_eq!(
        first_state.get_attr("wrapup_code_id"),
        Some(&Value::string(&code_id))
    );
    drop(plan_process);

    // The apply process: Terraform 1.16 plans again, handing back the first plan's private.
    let (mut apply_process, configured) = calls_of(&emu, Process::start(&emu, true)).await;
    let (again, counts) = calls_of(
        &emu,
        apply_process.plan(&config, true, first.planned_private.clone()),
    )
    .await;
    assert_eq!(
        counts.total(),
        0,
        "the plan of the apply process reads nothing: {:?}",
        counts.0
    );
    assert_eq!(
        value_of(again.planned_state.as_ref(), &apply_process.ty),
        first_state,
        "the same plan as the first"
    );
    assert_eq!(again.planned_private, first.planned_private);

    let applied = calls_of(&emu, async {
        apply_process
            .client
            .apply_resource_change(proto::apply_resource_change::Request {
                type_name: TYPE_NAME.into(),
                prior_state: dv(&Value::Null, &apply_process.ty),
                planned_state: again.planned_state.clone(),
                config: dv(&config, &apply_process.ty),
                planned_private: again.planned_private.clone(),
                ..Default::default()
            })
            .await
            .expect("ApplyResourceChange")
            .into_inner()
    })
    .await;
    let (applied, counts) = applied;
    assert_no_errors(&applied.diagnostics);
    let state = value_of(applied.new_state.as_ref(), &apply_process.ty);
    assert_eq!(
        state.get_attr("wrapup_code_id"),
        Some(&Value::string(&code_id))
    );
    // The whole apply process: what configure, this plan and the apply cost together.
    let of = |route: &str| configured.of(route) + counts.of(route);
    assert_eq!(
        (
            configured.total() + counts.total(),
            of("POST /oauth/token"),
            of(WRITE)
        ),
        (3, 1, 1),
        "the apply process's floor: one login, the write and its read-back: {:?} then {:?}",
        configured.0,
        counts.0
    );
}

#[tokio::test]
async fn without_the_capability_or_for_another_target_the_plan_resolves_as_before() {
    let (emu, queue, _) = org().await;
    let config = finished_call(&emu, &queue).await;
    let mut plan_process = Process::start(&emu, true).await;
    let first = plan_process.plan(&config, true, Vec::new()).await;
    drop(plan_process);

    // Terraform 1.15 has no such capability and never sends the field; sent anyway, it is
    // ignored.
    let mut old = Process::start(&emu, false).await;
    let (again, counts) = calls_of(
        &emu,
        old.plan(&config, false, first.planned_private.clone()),
    )
    .await;
    assert!(
        counts.total() >= 2,
        "without store_planned_private the plan resolves through the API: {:?}",
        counts.0
    );
    assert_eq!(again.planned_private, first.planned_private);
    drop(old);

    // The private data of another conversation's plan is not this change's: resolve again.
    let other = finished_call(&emu, &queue).await;
    let mut new = Process::start(&emu, true).await;
    let (planned, counts) =
        calls_of(&emu, new.plan(&other, true, first.planned_private.clone())).await;
    assert!(
        counts.total() >= 2,
        "another target's resolution is not taken: {:?}",
        counts.0
    );
    let state = value_of(planned.planned_state.as_ref(), &new.ty);
    assert_eq!(
        state.get_attr("conversation_id"),
        other.get_attr("conversation_id")
    );
    assert_ne!(planned.planned_private, first.planned_private);
}
