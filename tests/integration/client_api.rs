//! The API client's endpoints against the in-process emulator: wrap-up code CRUD and lookup,
//! paging with the fewest calls, divisions, queue assignment, conversation wrap-up.

use crate::client_support;

use client_support::*;
use futures_util::StreamExt;
use genesys_client::models::{MediaParticipantRequest, WrapupBody, WrapupCodeRequest};
use genesys_client::{MediaType, WRAPUP_CODES_MAX_PAGE_SIZE, WrapupCodeQuery};
use serde_json::json;

#[tokio::test]
async fn listing_1000_codes_takes_the_minimum_number_of_page_calls() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let created = futures_util::stream::iter(0..1000)
        .map(|i| {
            let client = client.clone();
            async move {
                client
                    .wrapup_codes()
                    .create(&WrapupCodeRequest::new(format!("Code {i:04}"), None, None))
                    .await
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    assert!(created.iter().all(Result::is_ok), "every create succeeds");
    let before = emu.counts().await.of(LIST_CODES);

    let all = client
        .wrapup_codes()
        .list_all(&WrapupCodeQuery::default())
        .await
        .expect("listing works");

    let calls = emu.counts().await.of(LIST_CODES) - before;
    let minimum = 1000_u64.div_ceil(u64::from(WRAPUP_CODES_MAX_PAGE_SIZE));
    assert_eq!(all.len(), 1000);
    assert_eq!(
        calls, minimum,
        "⌈1000 / {WRAPUP_CODES_MAX_PAGE_SIZE}⌉ list calls"
    );
    let mut ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1000, "no code listed twice");
}

#[tokio::test]
async fn wrapup_code_lifecycle_create_read_update_delete() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let codes = client.wrapup_codes();
    let home = client.divisions().home().await.expect("home division");

    let created = codes
        .create(&WrapupCodeRequest::new(
            "Sale completed",
            None,
            Some("bought".into()),
        ))
        .await
        .expect("create works");
    assert_eq!(created.name, "Sale completed");
    assert_eq!(
        created.division_id(),
        Some(home.id.as_str()),
        "lands in the home division"
    );

    let read = codes.get(&created.id).await.expect("get works");
    assert_eq!(read.description.as_deref(), Some("bought"));

    let updated = codes
        .update(
            &created.id,
            &WrapupCodeRequest::new("Sale closed", Some(home.id.clone()), None),
        )
        .await
        .expect("update works");
    assert_eq!(updated.name, "Sale closed");

    codes.delete(&created.id).await.expect("delete works");
    assert_eq!(
        codes.get_optional(&created.id).await.expect("lookup works"),
        None
    );
    let err = codes.get(&created.id).await.expect_err("gone");
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.error_body().is_some(), "the ErrorBody is kept: {err:?}");
    assert!(
        err.correlation_id().is_some(),
        "the correlation id is kept: {err:?}"
    );
}

#[tokio::test]
async fn find_by_name_returns_only_exact_matches() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let codes = client.wrapup_codes();
    for name in ["Sale", "Sale completed", "sale follow-up"] {
        codes
            .create(&WrapupCodeRequest::new(name, None, None))
            .await
            .expect("create works");
    }

    let found = codes.find_by_name("Sale").await.expect("lookup works");
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["Sale"]);
    assert!(
        codes
            .find_by_name("Refund")
            .await
            .expect("lookup works")
            .is_empty()
    );
    assert!(
        codes.find_by_name("").await.is_err(),
        "an empty name is refused"
    );
}

#[tokio::test]
async fn duplicate_name_is_a_conflict() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let request = WrapupCodeRequest::new("Only once", None, None);
    client
        .wrapup_codes()
        .create(&request)
        .await
        .expect("first create works");

    let err = client
        .wrapup_codes()
        .create(&request)
        .await
        .expect_err("the name is taken");
    assert!(err.is_conflict(), "{err:?}");
    assert!(!err.is_maybe_applied());
}

#[tokio::test]
async fn ids_are_sent_as_one_encoded_path_segment() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));

    let err = client
        .wrapup_codes()
        .delete("../wrapupcodes")
        .await
        .expect_err("not an id");
    assert!(
        err.status().is_some_and(|s| s == 400 || s == 404),
        "{err:?}"
    );
    let counts = emu.counts().await;
    assert_eq!(
        counts.of("DELETE /api/v2/routing/wrapupcodes/{codeId}"),
        1,
        "{:?}",
        counts.0
    );

    let err = client.wrapup_codes().get(" ").await.expect_err("blank id");
    assert!(err.to_string().contains("codeId"), "{err}");
}

#[tokio::test]
async fn divisions_home_list_and_get_agree() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let divisions = client.divisions();

    let home = divisions.home().await.expect("home division");
    assert_eq!(home.home_division, Some(true));
    let all = divisions.list_all(None).await.expect("list works");
    assert!(all.iter().any(|d| d.id == home.id), "{all:?}");
    let same = divisions.get(&home.id).await.expect("get works");
    assert_eq!(same.name, home.name);
}

#[tokio::test]
async fn queue_wrapup_codes_can_be_listed_added_and_removed() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let a = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Queue code A", None, None))
        .await
        .expect("create works");
    let b = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Queue code B", None, None))
        .await
        .expect("create works");
    let queue = uuid::Uuid::new_v4().to_string();
    emu.assign_queue_codes(&queue, &[&a.id]).await;
    let queues = client.queues();

    let listed = queues
        .list_all_wrapup_codes(&queue)
        .await
        .expect("list works");
    assert_eq!(
        listed.iter().map(|c| &c.id).collect::<Vec<_>>(),
        vec![&a.id]
    );

    queues
        .add_wrapup_codes(&queue, &[&b.id])
        .await
        .expect("add works");
    let mut ids: Vec<String> = queues
        .list_all_wrapup_codes(&queue)
        .await
        .expect("list works")
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort();
    let mut expected = vec![a.id.clone(), b.id.clone()];
    expected.sort();
    assert_eq!(ids, expected);

    queues
        .remove_wrapup_code(&queue, &a.id)
        .await
        .expect("remove works");
    let left = queues
        .list_all_wrapup_codes(&queue)
        .await
        .expect("list works");
    assert_eq!(left.iter().map(|c| &c.id).collect::<Vec<_>>(), vec![&b.id]);
}

#[tokio::test]
async fn conversation_wrapup_is_set_per_media_and_read_back() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let code = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Resolved", None, None))
        .await
        .expect("create works");
    let queue = uuid::Uuid::new_v4().to_string();
    emu.assign_queue_codes(&queue, &[&code.id]).await;
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
    let agent = &seeded["participants"][1];
    let participant_id = agent["participantId"].as_str().expect("participant id");
    let communication_id = agent["communicationId"].as_str().expect("communication id");
    let conversations = client.conversations();

    let conversation = conversations.get(conversation_id).await.expect("get works");
    let participant = conversation
        .participant(participant_id)
        .expect("agent is listed");
    assert_eq!(participant.purpose.as_deref(), Some("agent"));
    assert_eq!(participant.queue_id.as_deref(), Some(queue.as_str()));
    let (media, communication) = participant
        .communications()
        .next()
        .expect("the agent has a communication");
    assert_eq!(
        (media, communication.id.as_str()),
        (MediaType::Calls, communication_id)
    );

    let allowed = conversations
        .participant_wrapup_codes(conversation_id, participant_id)
        .await
        .expect("allowed codes");
    assert!(allowed.iter().any(|c| c.id == code.id), "{allowed:?}");

    conversations
        .set_wrapup(
            MediaType::Calls,
            conversation_id,
            participant_id,
            communication_id,
            &WrapupBody {
                code: code.id.clone(),
                notes: Some("back-filled by ops".into()),
                ..WrapupBody::default()
            },
        )
        .await
        .expect("wrap-up accepted");

    let assigned = conversations
        .participant_wrapup(conversation_id, participant_id, None)
        .await
        .expect("read works")
        .expect("a wrap-up is assigned");
    assert_eq!(assigned.code.as_deref(), Some(code.id.as_str()));
    assert_eq!(assigned.notes.as_deref(), Some("back-filled by ops"));
    let per_media = conversations
        .media_participant_wrapup(MediaType::Calls, conversation_id, participant_id, None)
        .await
        .expect("read works")
        .expect("a wrap-up is assigned");
    assert_eq!(per_media.code, assigned.code);

    conversations
        .patch_call_participant(
            conversation_id,
            participant_id,
            &MediaParticipantRequest {
                wrapup: Some(WrapupBody {
                    code: code.id.clone(),
                    notes: Some("patched".into()),
                    ..WrapupBody::default()
                }),
                ..MediaParticipantRequest::default()
            },
        )
        .await
        .expect("patch accepted");
    let patched = conversations
        .participant_wrapup(conversation_id, participant_id, None)
        .await
        .expect("read works")
        .expect("a wrap-up is assigned");
    assert_eq!(patched.notes.as_deref(), Some("patched"));

    let err = conversations
        .media_participant_wrapup(MediaType::Videos, conversation_id, participant_id, None)
        .await
        .expect_err("no such read for videos");
    assert!(err.to_string().contains("videos"), "{err}");
}

#[tokio::test]
async fn wrapup_for_a_code_outside_the_queue_is_refused_with_the_platform_error() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let allowed = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Allowed", None, None))
        .await
        .expect("create works");
    let other = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Not for this queue", None, None))
        .await
        .expect("create works");
    let queue = uuid::Uuid::new_v4().to_string();
    emu.assign_queue_codes(&queue, &[&allowed.id]).await;
    let seeded = emu
        .seed_conversation(json!({
            "mediaType": "call",
            "participants": [
                {"purpose": "agent", "state": "disconnected", "queueId": queue, "wrapupRequired": true}
            ]
        }))
        .await;
    let agent = &seeded["participants"][0];

    let err = client
        .conversations()
        .set_wrapup(
            MediaType::Calls,
            seeded["conversationId"].as_str().expect("conversation id"),
            agent["participantId"].as_str().expect("participant id"),
            agent["communicationId"].as_str().expect("communication id"),
            &WrapupBody {
                code: other.id.clone(),
                ..WrapupBody::default()
            },
        )
        .await
        .expect_err("code not valid for the queue");
    assert_eq!(err.status(), Some(400), "{err:?}");
    assert!(
        err.error_body().and_then(|b| b.message.as_ref()).is_some(),
        "{err:?}"
    );
}
