"""Fidelity of the emulator, checked with the official Genesys Cloud Python SDK.

Every operation the provider uses goes through PureCloudPlatformClientV2 269.0.0 pointed at the
emulator; responses must deserialise into the SDK's models with their fields populated, and
error paths must surface as ApiException with the platform's status.
"""

import datetime
import json
import time
import unittest
import uuid
import warnings

import PureCloudPlatformClientV2 as gc
from PureCloudPlatformClientV2.rest import ApiException

from emulator import CLIENT_ID, CLIENT_SECRET, NO_RETRIES, Emulator

HOME_DIVISION_ID = "00000000-0000-4000-8000-000000000001"
SALES_DIVISION_ID = "00000000-0000-4000-8000-000000000002"

EMU = None


def setUpModule():
    global EMU
    EMU = Emulator()


def tearDownModule():
    EMU.stop()


def model(cls, **attrs):
    """An SDK model with attributes set (the generated constructors take no arguments)."""
    instance = cls()
    for name, value in attrs.items():
        setattr(instance, name, value)
    return instance


def error_body(exc):
    return json.loads(exc.body)


class FidelityTest(unittest.TestCase):
    def setUp(self):
        status, _ = EMU.admin("POST", "/__emulator/reset")
        self.assertEqual(status, 204)
        self.client = EMU.client()
        self.routing = gc.RoutingApi(self.client)
        self.conversations = gc.ConversationsApi(self.client)
        self.authorization = gc.AuthorizationApi(self.client)

    def assert_populated(self, model, *fields):
        for field in fields:
            self.assertIsNotNone(getattr(model, field), f"{type(model).__name__}.{field}")

    def assert_api_error(self, status, code, call, *args, **kwargs):
        with self.assertRaises(ApiException) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.status, status)
        body = error_body(caught.exception)
        self.assertEqual(body["code"], code)
        self.assertEqual(body["status"], status)
        # The body also deserialises into the SDK's ErrorBody model.
        model = self.client._ApiClient__deserialize(body, "ErrorBody")
        self.assertEqual(model.code, code)
        self.assertIsNotNone(model.message)
        self.assertIsNotNone(model.context_id)
        return caught.exception

    def create_code(self, name, **kwargs):
        return self.routing.post_routing_wrapupcodes(model(gc.WrapupCodeRequest, name=name, **kwargs))

    def queue_with(self, *codes):
        queue_id = str(uuid.uuid4())
        status, _ = EMU.admin("PUT", f"/__emulator/queues/{queue_id}/wrapupcodes",
                              {"name": "Support", "codeIds": [c.id for c in codes]})
        self.assertEqual(status, 200)
        return queue_id

    def seed(self, media, queue_id, agent_state="disconnected"):
        status, seeded = EMU.admin("POST", "/__emulator/conversations", {
            "mediaType": media,
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": agent_state, "queueId": queue_id,
                 "wrapupRequired": True, "name": "Agent A"},
            ],
        })
        self.assertEqual(status, 201)
        agent = seeded["participants"][1]
        return seeded["conversationId"], agent["participantId"], agent["communicationId"]


class AuthTest(FidelityTest):
    def test_client_credentials_login_yields_a_working_token(self):
        self.assertTrue(self.client.access_token)
        home = self.authorization.get_authorization_divisions_home()
        self.assertEqual(home.id, HOME_DIVISION_ID)

    def test_bad_secret_is_refused_with_401(self):
        with self.assertRaises(ApiException) as caught:
            gc.ApiClient(host=EMU.url).get_client_credentials_token("sdk-fidelity-client", "wrong")
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(json.loads(caught.exception.body)["error"], "invalid_client")

    def test_bad_token_surfaces_as_401(self):
        bogus = gc.ApiClient(host=EMU.url)
        bogus.access_token = "not-a-real-token"
        self.assert_api_error(401, "bad.credentials",
                              gc.RoutingApi(bogus).get_routing_wrapupcodes)


class WrapupCodeTest(FidelityTest):
    def test_create_get_update_delete(self):
        created = self.create_code("Sale completed", description="bought",
                                   division=model(gc.WritableStarrableDivision, id=SALES_DIVISION_ID))
        self.assert_populated(created, "id", "name", "division", "description", "date_created",
                              "date_modified", "created_by", "modified_by", "self_uri")
        self.assertIsInstance(created.date_created, datetime.datetime)
        self.assertEqual(created.division.id, SALES_DIVISION_ID)
        self.assert_populated(created.division, "id", "name", "self_uri")

        fetched = self.routing.get_routing_wrapupcode(created.id)
        self.assertEqual(fetched.name, "Sale completed")
        self.assertEqual(fetched.division.name, "Sales")

        updated = self.routing.put_routing_wrapupcode(
            created.id, model(gc.WrapupCodeRequest, name="Sale done", description="changed"))
        self.assertEqual(updated.name, "Sale done")
        self.assertEqual(updated.description, "changed")
        self.assertEqual(updated.division.id, SALES_DIVISION_ID)

        self.assertIsNone(self.routing.delete_routing_wrapupcode(created.id))
        self.assert_api_error(404, "not.found", self.routing.get_routing_wrapupcode, created.id)

    def test_home_division_is_the_default(self):
        created = self.create_code("Callback")
        self.assertEqual(created.division.id, HOME_DIVISION_ID)
        self.assertEqual(created.division.name, "Home")

    def test_a_code_in_all_divisions_reads_as_a_starrable_division(self):
        created = self.create_code("Everywhere", division=model(gc.WritableStarrableDivision, id="*"))
        self.assertIsInstance(created.division, gc.StarrableDivision)
        self.assertEqual(created.division.id, "*")
        self.assert_populated(created.division, "id", "name", "self_uri")
        fetched = self.routing.get_routing_wrapupcode(created.id)
        self.assertEqual(fetched.division.id, "*")
        listed = self.routing.get_routing_wrapupcodes(division_id=["*"])
        self.assertEqual([c.name for c in listed.entities], ["Everywhere"])

    def test_list_pages_and_filters(self):
        codes = [self.create_code(f"Code {i:02}") for i in range(30)]
        other = self.create_code("Other", division=model(gc.WritableStarrableDivision, id=SALES_DIVISION_ID))
        page = self.routing.get_routing_wrapupcodes(page_size=10, page_number=2)
        self.assertIsInstance(page, gc.WrapupCodeEntityListing)
        self.assert_populated(page, "entities", "page_size", "page_number", "total", "page_count",
                              "first_uri", "self_uri", "next_uri", "previous_uri", "last_uri")
        self.assertEqual((page.page_size, page.page_number, page.total, page.page_count), (10, 2, 31, 4))
        self.assertEqual([c.name for c in page.entities], [f"Code {i:02}" for i in range(10, 20)])
        self.assert_populated(page.entities[0], "id", "name", "division", "date_created", "self_uri")

        walked, number = [], 1
        while True:
            listing = self.routing.get_routing_wrapupcodes(page_size=25, page_number=number)
            walked.extend(c.id for c in listing.entities)
            if number >= listing.page_count:
                break
            number += 1
        self.assertEqual(sorted(walked), sorted([c.id for c in codes] + [other.id]))

        by_ids = self.routing.get_routing_wrapupcodes(id=[codes[0].id, codes[5].id])
        self.assertEqual({c.id for c in by_ids.entities}, {codes[0].id, codes[5].id})
        by_division = self.routing.get_routing_wrapupcodes(division_id=[SALES_DIVISION_ID])
        self.assertEqual([c.name for c in by_division.entities], ["Other"])
        by_name = self.routing.get_routing_wrapupcodes(name="code 07")
        self.assertEqual([c.id for c in by_name.entities], [codes[7].id])
        desc = self.routing.get_routing_wrapupcodes(name="Code*", sort_by="name", sort_order="descending",
                                                    page_size=1)
        self.assertEqual(desc.entities[0].name, "Code 29")
        views = self.routing.get_routing_wrapupcodes_divisionviews(name="Other")
        self.assertEqual([c.id for c in views.entities], [other.id])
        self.assertEqual(self.routing.get_routing_wrapupcodes_divisionview(other.id).name, "Other")

    def test_duplicate_name_is_a_409(self):
        self.create_code("Sale")
        exc = self.assert_api_error(409, "general.conflict", self.create_code, "SALE")
        self.assertIn("already exists", error_body(exc)["message"])

    def test_missing_and_overlong_names_are_400(self):
        self.assert_api_error(400, "invalid.value", self.routing.post_routing_wrapupcodes,
                              model(gc.WrapupCodeRequest, description="no name"))
        self.assert_api_error(400, "invalid.value", self.create_code, "x" * 256)

    def test_unknown_code_is_a_404(self):
        self.assert_api_error(404, "not.found", self.routing.get_routing_wrapupcode, str(uuid.uuid4()))
        self.assert_api_error(404, "not.found", self.routing.delete_routing_wrapupcode, str(uuid.uuid4()))


class DivisionAndQueueTest(FidelityTest):
    def test_divisions(self):
        home = self.authorization.get_authorization_divisions_home()
        self.assertIsInstance(home, gc.AuthzDivision)
        self.assert_populated(home, "id", "name", "home_division", "self_uri")
        self.assertTrue(home.home_division)
        listing = self.authorization.get_authorization_divisions()
        self.assertIsInstance(listing, gc.AuthzDivisionEntityListing)
        self.assertEqual([d.name for d in listing.entities], ["Home", "Sales"])
        sales = self.authorization.get_authorization_division(SALES_DIVISION_ID)
        self.assertFalse(sales.home_division)
        self.assert_api_error(404, "not.found", self.authorization.get_authorization_division,
                              str(uuid.uuid4()))

    def test_queue_wrapup_codes(self):
        alpha, beta = self.create_code("Alpha"), self.create_code("Beta")
        queue_id = self.queue_with(alpha)
        listing = self.routing.get_routing_queue_wrapupcodes(queue_id)
        self.assertIsInstance(listing, gc.WrapupCodeEntityListing)
        self.assertEqual([c.id for c in listing.entities], [alpha.id])
        added = self.routing.post_routing_queue_wrapupcodes(queue_id, [model(gc.WrapUpCodeReference, id=beta.id)])
        self.assertEqual([c.name for c in added], ["Beta"])
        self.assertIsNone(self.routing.delete_routing_queue_wrapupcode(queue_id, alpha.id))
        listing = self.routing.get_routing_queue_wrapupcodes(queue_id, name="B*")
        self.assertEqual([c.id for c in listing.entities], [beta.id])
        self.assert_api_error(404, "not.found", self.routing.get_routing_queue_wrapupcodes, str(uuid.uuid4()))

    def test_queue_wrapup_code_adds_are_limited_to_100_per_request(self):
        # The SDK documents the operation as "Add up to 100 wrap-up codes to a queue"; the
        # refusal's status and body are the emulator's assumption (emulator/README.md).
        codes = [self.create_code(f"Code {i:03}") for i in range(101)]
        queue_id = self.queue_with()
        refs = [model(gc.WrapUpCodeReference, id=c.id) for c in codes]
        refused = self.assert_api_error(400, "bad.request", self.routing.post_routing_queue_wrapupcodes,
                                        queue_id, refs)
        body = error_body(refused)
        self.assertIn("101", body["message"])
        self.assertNotIn("entityId", body, "the request's size is at fault, not a code")
        self.assertEqual(self.routing.get_routing_queue_wrapupcodes(queue_id).total, 0)
        added = self.routing.post_routing_queue_wrapupcodes(queue_id, refs[:100])
        self.assertEqual(len(added), 100)
        self.assertTrue(all(isinstance(c, gc.WrapupCode) for c in added))


MEDIA = [
    # (seed media, SDK name, has per-media participant reads)
    ("call", "call", True),
    ("callback", "callback", True),
    ("cobrowse", "cobrowsesession", True),
    ("email", "email", True),
    ("message", "message", True),
    ("screenshare", "screenshare", False),
    ("social", "social", False),
    ("video", "video", False),
]


class ConversationTest(FidelityTest):
    def setUp(self):
        super().setUp()
        self.code = self.create_code("Sale")
        self.queue_id = self.queue_with(self.code)

    def test_conversation_and_participant_reads(self):
        cid, pid, comm = self.seed("call", self.queue_id)
        conversation = self.conversations.get_conversation(cid)
        self.assertIsInstance(conversation, gc.Conversation)
        self.assert_populated(conversation, "id", "start_time", "participants", "state", "self_uri")
        agent = next(p for p in conversation.participants if p.id == pid)
        self.assert_populated(agent, "purpose", "queue_id", "wrapup_required", "calls", "start_time")
        self.assertEqual(agent.queue_id, self.queue_id)
        self.assertTrue(agent.wrapup_required)
        self.assertEqual(agent.calls[0].id, comm)
        self.assertEqual(agent.calls[0].state, "disconnected")
        self.assertEqual(agent.calls[0].after_call_work.state, "pending")

        call = self.conversations.get_conversations_call(cid)
        self.assertIsInstance(call, gc.CallConversation)
        media_agent = next(p for p in call.participants if p.id == pid)
        self.assertEqual(media_agent.state, "disconnected")
        self.assertEqual(media_agent.queue.id, self.queue_id)

        for codes in (self.conversations.get_conversation_participant_wrapupcodes(cid, pid),
                      self.conversations.get_conversations_call_participant_wrapupcodes(cid, pid)):
            self.assertEqual([c.id for c in codes], [self.code.id])
            self.assert_populated(codes[0], "name", "division")

        self.assert_api_error(404, "not.found", self.conversations.get_conversation, str(uuid.uuid4()))
        self.assert_api_error(404, "not.found", self.conversations.get_conversation_participant_wrapup,
                              cid, pid)

    def test_wrapup_post_per_media_and_read_back(self):
        # The SDK marks the cobrowse and screenshare operations deprecated (they still exist)
        # and forces its warnings on; record them instead of printing them.
        with warnings.catch_warnings(record=True):
            self.post_and_read_every_media()

    def post_and_read_every_media(self):
        for seed_media, sdk, per_media in MEDIA:
            with self.subTest(media=seed_media):
                cid, pid, comm = self.seed(seed_media, self.queue_id)
                post = getattr(self.conversations, f"post_conversations_{sdk}_participant_communication_wrapup")
                result = post(cid, pid, comm, body=model(gc.WrapupInput, code=self.code.id, notes="done",
                                                             tags=["t1"], duration_seconds=7))
                self.assertIsNone(result)
                assigned = self.conversations.get_conversation_participant_wrapup(cid, pid)
                self.assertIsInstance(assigned, gc.AssignedWrapupCode)
                self.assert_populated(assigned, "code", "notes", "tags", "duration_seconds", "end_time")
                self.assertEqual(assigned.code, self.code.id)
                read_comm = getattr(self.conversations,
                                    f"get_conversations_{sdk}_participant_communication_wrapup")
                self.assertEqual(read_comm(cid, pid, comm).notes, "done")
                if per_media:
                    read = getattr(self.conversations, f"get_conversations_{sdk}_participant_wrapup")
                    self.assertEqual(read(cid, pid).code, self.code.id)
                    codes = getattr(self.conversations, f"get_conversations_{sdk}_participant_wrapupcodes")
                    self.assertEqual([c.id for c in codes(cid, pid)], [self.code.id])
                conversation = self.conversations.get_conversation(cid)
                agent = next(p for p in conversation.participants if p.id == pid)
                self.assertEqual(agent.wrapup.name, "Sale")

    def test_patch_participant_with_wrapup(self):
        cid, pid, _ = self.seed("call", self.queue_id)
        self.conversations.patch_conversations_call_participant(
            cid, pid, model(gc.MediaParticipantRequest, wrapup=model(gc.WrapupInput, code=self.code.id, notes="patched")))
        self.assertEqual(self.conversations.get_conversations_call_participant_wrapup(cid, pid).notes, "patched")

    def test_wrapup_errors(self):
        cid, pid, comm = self.seed("call", self.queue_id, agent_state="connected")
        post = self.conversations.post_conversations_call_participant_communication_wrapup
        self.assert_api_error(400, "bad.request", post, cid, pid, comm, body=model(gc.WrapupInput, code=self.code.id))
        cid, pid, comm = self.seed("call", self.queue_id)
        self.assert_api_error(400, "invalid.value", post, cid, pid, comm, body=model(gc.WrapupInput, code="Sale"))
        self.assert_api_error(404, "not.found", post, cid, pid, str(uuid.uuid4()),
                              body=model(gc.WrapupInput, code=self.code.id))
        self.assert_api_error(404, "not.found",
                              self.conversations.post_conversations_email_participant_communication_wrapup,
                              cid, pid, comm, body=model(gc.WrapupInput, code=self.code.id))

    def test_accept_but_ignore_fault_is_visible_through_the_sdk(self):
        cid, pid, comm = self.seed("call", self.queue_id)
        EMU.admin("PUT", "/__emulator/faults", {"accept_but_ignore_wrapup_writes": True})
        self.conversations.post_conversations_call_participant_communication_wrapup(
            cid, pid, comm, body=model(gc.WrapupInput, code=self.code.id))
        self.assert_api_error(404, "not.found", self.conversations.get_conversation_participant_wrapup, cid, pid)


class RetryAndRateLimitTest(FidelityTest):
    def test_sdk_honours_retry_after_on_an_injected_429(self):
        EMU.admin("PUT", "/__emulator/faults", {"rules": [
            {"method": "GET", "path": "/api/v2/routing/wrapupcodes", "status": 429, "retry_after": 1, "count": 1}]})
        started = time.monotonic()
        listing = self.routing.get_routing_wrapupcodes()
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        self.assertEqual(listing.total, 0)
        self.assertEqual(EMU.requests()["routes"]["GET /api/v2/routing/wrapupcodes"], 2)

    def test_dropped_post_is_replayed_by_the_sdk_and_meets_the_duplicate(self):
        EMU.admin("PUT", "/__emulator/faults", {"drop_connections": [
            {"method": "POST", "path": "/api/v2/routing/wrapupcodes", "count": 1}]})
        self.assert_api_error(409, "general.conflict", self.create_code, "Ghost")
        listing = self.routing.get_routing_wrapupcodes()
        self.assertEqual([c.name for c in listing.entities], ["Ghost"])

    def test_rate_limit_surfaces_as_429_with_retry_after(self):
        limited = Emulator("--rate-limit", "3")
        try:
            routing = gc.RoutingApi(limited.client(retries=NO_RETRIES))
            for _ in range(3):
                routing.get_routing_wrapupcodes()
            with self.assertRaises(ApiException) as caught:
                routing.get_routing_wrapupcodes()
            self.assertEqual(caught.exception.status, 429)
            self.assertEqual(error_body(caught.exception)["code"], "too.many.requests.retry.after")
            self.assertGreaterEqual(int(caught.exception.headers["Retry-After"]), 1)
            removed = [h for h in caught.exception.headers if h.lower().startswith("inin-ratelimit")]
            self.assertEqual(removed, [], "the platform stopped sending these in 2021")
        finally:
            limited.stop()

    def test_rate_limit_is_per_token_not_per_client(self):
        limited = Emulator("--rate-limit", "2")
        try:
            first = gc.RoutingApi(limited.client(retries=NO_RETRIES))
            second = gc.RoutingApi(limited.client(retries=NO_RETRIES))
            for _ in range(2):
                first.get_routing_wrapupcodes()
            with self.assertRaises(ApiException) as caught:
                first.get_routing_wrapupcodes()
            self.assertEqual(caught.exception.status, 429)
            for _ in range(2):
                second.get_routing_wrapupcodes()
            self.assertEqual(limited.requests()["statuses"]["429"], 1)
        finally:
            limited.stop()

    def test_org_limits_serve_the_per_token_rate(self):
        organization = gc.OrganizationApi(self.client)
        listing = organization.get_organizations_limits_namespace("platform.api")
        self.assertIsInstance(listing, gc.LimitsEntityListing)
        limits = {limit.key: limit for limit in listing.entities}
        rate = limits["client.credentials.token.rate.per.minute"]
        self.assertEqual(rate.namespace, "platform.api", "a namespace the SDK knows")
        self.assertEqual(rate.value, 300, "the platform default without --rate-limit")
        limited = Emulator("--rate-limit", "120")
        try:
            served = gc.OrganizationApi(limited.client()).get_organizations_limits_namespace(
                "platform.api")
            rates = [l.value for l in served.entities
                     if l.key == "client.credentials.token.rate.per.minute"]
            self.assertEqual(rates, [120], "the emulator's own --rate-limit")
        finally:
            limited.stop()
        self.assert_api_error(404, "not.found",
                              organization.get_organizations_limits_namespace, "no.such.namespace")

    def test_org_limits_refused_by_a_fault_are_a_403(self):
        EMU.admin("PUT", "/__emulator/faults", {"rules": [
            {"method": "GET", "path": "/api/v2/organizations/limits/namespaces/*",
             "status": 403, "count": 1}]})
        organization = gc.OrganizationApi(EMU.client(retries=NO_RETRIES))
        self.assert_api_error(403, "not.authorized",
                              organization.get_organizations_limits_namespace, "platform.api")
        listing = organization.get_organizations_limits_namespace("platform.api")
        self.assertTrue(listing.entities, "the rule was spent on one request")

    def test_login_throttle_is_a_400_invalid_request(self):
        EMU.admin("PUT", "/__emulator/faults", {"login_rate_limited": 1})
        client = gc.ApiClient(host=EMU.url)
        with self.assertRaises(Exception) as caught:
            client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        self.assertIn("400", str(caught.exception))
        self.assertIn("rate limit exceeded", str(caught.exception))
        client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)


if __name__ == "__main__":
    unittest.main()
