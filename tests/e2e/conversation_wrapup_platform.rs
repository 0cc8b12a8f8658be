//! The wrap-up logic through the real API client against the in-process emulator, without
//! Terraform: every supported media type, the silently dropped write, and a missing
//! permission. (The Terraform CLI runs of the same behaviours are in the other
//! `conversation_wrapup_*` tests.)

use crate::conversation_wrapup_common;

use std::time::Duration;

use conversation_wrapup_common::{CLIENT_ID, CLIENT_SECRET, MEDIA, Org, new_queue_id};
use genesyscloud_provider::platform::ConversationsView;
use genesyscloud_provider::platform::PlatformSlot;
use genesyscloud_provider::platform::wrapup_writer::{
    Applied, CodeChoice, CodeGivenBy, DesiredWrapup, TargetChoice, WrapupError, apply_wrapup,
};
use genesyscloud_provider::provider::client::build_platform;
use genesyscloud_provider::provider::{ProviderConfig, resolve};
use genesyscloud_provider::resources::conversation_wrapup::WrapupDiagnostics;
use serde_json::json;
use tfplugin_framework::cty::AttributePath;

const QUICK: [Duration; 2] = [Duration::ZERO, Duration::from_millis(50)];

fn access(org: &Org) -> ConversationsView {
    let env = [
        ("GENESYSCLOUD_API_URL", org.base.clone()),
        ("GENESYSCLOUD_LOGIN_URL", org.base.clone()),
        ("GENESYSCLOUD_OAUTHCLIENT_ID", CLIENT_ID.to_owned()),
        ("GENESYSCLOUD_OAUTHCLIENT_SECRET", CLIENT_SECRET.to_owned()),
    ];
    let lookup = move |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let (settings, _) = resolve(&ProviderConfig::default(), &lookup, "1.15.5")
        .expect("the emulator settings resolve");
    let slot = PlatformSlot::default();
    slot.set(build_platform(
        &settings,
        tfplugin_framework::CancellationToken::new(),
    ));
    ConversationsView::from_slot(slot)
}

fn by_name(conversation_id: &str, name: &str) -> DesiredWrapup {
    DesiredWrapup {
        target: TargetChoice {
            conversation_id: conversation_id.to_owned(),
            participant_id: None,
            communication_id: None,
        },
        code: CodeChoice {
            id: None,
            name: Some(name.to_owned()),
            configured: CodeGivenBy::Name,
        },
        notes: Some("back-filled by ops".into()),
        tags: Some(vec!["ops".into()]),
        duration_seconds: Some(30),
    }
}

/// Applies the wrap-up of `conversation_id` with the code named `name`, as the resource does.
#[allow(
    clippy::result_large_err,
    reason = "the same Result as apply_wrapup, whose errors the tests inspect"
)]
fn apply_by_name(org: &Org, conversation_id: &str, name: &str) -> Result<Applied, WrapupError> {
    let access = access(org);
    org.block_on(async {
        let api = access.get().await.expect("client builds");
        apply_wrapup(
            &*api,
            &by_name(conversation_id, name),
            &QUICK,
            None,
            &tfplugin_framework::CancellationToken::new(),
        )
        .await
    })
}

#[test]
fn every_media_type_keeps_the_code_id_resolved_from_its_name() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    let other = org.create_code("No sale");
    org.assign_codes(&queue, &[&sale, &other]);
    for (seed_media, path_media) in MEDIA {
        let seeded = org.seed(seed_media, &queue, "disconnected");
        let applied = apply_by_name(&org, &seeded.conversation_id, "Sale completed")
            .unwrap_or_else(|error| panic!("{seed_media}: {:?}", error.diagnostics()));
        assert_eq!(applied.target.media.to_string(), path_media);
        assert_eq!(applied.target.participant_id, seeded.agent_id);
        assert_eq!(applied.code.id, sale);
        let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
        assert_eq!(held["code"], json!(sale), "{seed_media}: {held}");
        assert_eq!(held["notes"], json!("back-filled by ops"), "{seed_media}");
        assert_eq!(held["tags"], json!(["ops"]), "{seed_media}");
        assert_eq!(held["durationSeconds"], json!(30), "{seed_media}");
    }
}

#[test]
fn a_write_the_platform_accepts_but_ignores_fails_verification() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    let seeded = org.seed("call", &queue, "disconnected");
    org.faults(json!({ "accept_but_ignore_wrapup_writes": true }));
    let error = apply_by_name(&org, &seeded.conversation_id, "Sale completed")
        .expect_err("nothing was kept");
    assert!(
        matches!(error, WrapupError::NotPersisted { .. }),
        "{error:?}"
    );
    let diagnostic = &error.diagnostics().0[0];
    assert!(diagnostic.detail.contains(&sale), "{}", diagnostic.detail);
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        None
    );
}

#[test]
fn a_forbidden_conversation_read_points_at_conversation_id() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    let seeded = org.seed("email", &queue, "disconnected");
    org.faults(json!({ "rules": [{
        "method": "GET",
        "path": "/api/v2/conversations/{conversationId}",
        "status": 403,
        "count": 1
    }, {
        // Without the permission the analytics view is refused too; the exact read decides.
        "method": "GET",
        "path": "/api/v2/analytics/conversations/details",
        "status": 403,
        "count": 5
    }]}));
    let error =
        apply_by_name(&org, &seeded.conversation_id, "Sale completed").expect_err("forbidden");
    let diagnostic = &error.diagnostics().0[0];
    assert_eq!(diagnostic.summary, "Access denied");
    assert_eq!(
        diagnostic.attribute,
        Some(AttributePath::root("conversation_id"))
    );
    assert!(diagnostic.detail.contains("403"), "{}", diagnostic.detail);
}

#[test]
fn a_participant_without_a_queue_finds_the_org_code_ignoring_case() {
    let org = Org::start();
    let billing = org.create_code("Escalated to billing");
    org.create_code("Escalated to billing team");
    let seeded = org.seed_with(
        "call",
        json!([
            {"purpose": "customer", "state": "disconnected"},
            {"purpose": "agent", "state": "disconnected"}
        ]),
    );
    assert_eq!(seeded.queue_id, "", "the agent is seeded without a queue");
    let applied = apply_by_name(&org, &seeded.conversation_id, "escalated TO billing")
        .unwrap_or_else(|error| panic!("{:?}", error.diagnostics()));
    assert_eq!(applied.code.id, billing);
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(billing)
    );
}

#[test]
fn a_wrap_up_endpoint_that_answers_404_points_at_the_communication() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    // What a real org does today for legacy chats: the conversation reads, the write 404s.
    let seeded = org.seed("chat", &queue, "disconnected");
    org.faults(json!({ "rules": [{
        "method": "POST",
        "path": "/api/v2/conversations/chats/*/participants/*/communications/*/wrapup",
        "status": 404,
        "count": 1
    }]}));
    let error =
        apply_by_name(&org, &seeded.conversation_id, "Sale completed").expect_err("the write 404s");
    let diagnostic = &error.diagnostics().0[0];
    assert_eq!(
        diagnostic.summary,
        "The platform has no wrap-up endpoint for this communication"
    );
    assert_eq!(
        diagnostic.attribute,
        Some(AttributePath::root("communication_id"))
    );
    for expected in [
        "404",
        sale.as_str(),
        "POST /api/v2/conversations/chats/",
        "retired legacy chats",
        seeded.agent_communication_id.as_str(),
    ] {
        assert!(
            diagnostic.detail.contains(expected),
            "{expected:?} missing from: {}",
            diagnostic.detail
        );
    }
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        None
    );
}

/// A 503 on the wrap-up POST leaves the outcome unknown; the read-back shows it did not land
/// (the emulator's fault answers before acting), so it is posted again, at most three times.
#[test]
fn a_wrap_up_post_answered_503_that_did_not_land_is_posted_again() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    let seeded = org.seed("call", &queue, "disconnected");
    let post_503 = |count: u32| {
        json!({ "rules": [{
            "method": "POST",
            "path": "/api/v2/conversations/calls/*/participants/*/communications/*/wrapup",
            "status": 503,
            "count": count
        }]})
    };
    org.faults(post_503(2));
    let applied = apply_by_name(&org, &seeded.conversation_id, "Sale completed")
        .unwrap_or_else(|error| panic!("{:?}", error.diagnostics()));
    assert_eq!(applied.code.id, sale);
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(sale.clone())
    );

    let other = org.seed("call", &queue, "disconnected");
    org.faults(post_503(3));
    let error = apply_by_name(&org, &other.conversation_id, "Sale completed")
        .expect_err("three lost answers in a row");
    let diagnostic = &error.diagnostics().0[0];
    assert!(diagnostic.detail.contains("503"), "{}", diagnostic.detail);
    assert!(
        diagnostic.detail.contains("not applied"),
        "{}",
        diagnostic.detail
    );
    assert_eq!(
        org.wrapup_code(&other.conversation_id, &other.agent_id),
        None
    );
}
