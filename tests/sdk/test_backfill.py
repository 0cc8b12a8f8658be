"""Fidelity of the endpoints the back-fill types use, checked with the official SDK: queue lookup
by name and id, paged queue wrap-up codes, the analytics conversation details query, the
multi-get by id and the single details read, and the analytics lag fault.

Besides the SDK's own deserialisation, every answer's raw JSON is checked strictly against the
SDK's models (strict.problems): no field the model lacks, declared types, ISO-8601 dates and
enum values the SDK knows.
"""

import time
import unittest
import uuid

import PureCloudPlatformClientV2 as gc
from PureCloudPlatformClientV2.rest import ApiException

from emulator import Emulator, raw_api
from strict import problems
from test_fidelity import model

EMU = None
DAY = "2026-11-30"
INTERVAL = f"{DAY}T00:00:00.000Z/2026-12-01T00:00:00.000Z"


def setUpModule():
    global EMU
    EMU = Emulator()


def tearDownModule():
    EMU.stop()


class BackfillTest(unittest.TestCase):
    def setUp(self):
        status, _ = EMU.admin("POST", "/__emulator/reset")
        self.assertEqual(status, 204)
        self.client = EMU.client()
        self.routing = gc.RoutingApi(self.client)
        self.analytics = gc.AnalyticsApi(self.client)
        self.conversations = gc.ConversationsApi(self.client)

    def raw(self, method, path, body=None):
        return raw_api(EMU, self.client, method, path, body)

    def assert_strict(self, model_name, value):
        self.assertEqual(problems(model_name, value), [], model_name)

    def assert_api_error(self, status, code, call, *args, **kwargs):
        with self.assertRaises(ApiException) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.status, status)
        body = self.client._ApiClient__deserialize(__import__("json").loads(caught.exception.body), "ErrorBody")
        self.assertEqual(body.code, code)
        self.assertIsNotNone(body.context_id)
        return body

    def code(self, name):
        return self.routing.post_routing_wrapupcodes(model(gc.WrapupCodeRequest, name=name))

    def queue(self, name, *codes, division_id=None):
        body = {"name": name, "codeIds": [c.id for c in codes]}
        if division_id:
            body["divisionId"] = division_id
        status, created = EMU.admin("POST", "/__emulator/queues", body)
        self.assertEqual(status, 201, created)
        return created["queueId"]

    def seed(self, queue_id, media="call", start=f"{DAY}T09:00:00.000Z", end=f"{DAY}T09:05:00.000Z",
             agent_state="disconnected", wrapup_required=True):
        status, seeded = EMU.admin("POST", "/__emulator/conversations", {
            "mediaType": media,
            "startTime": start,
            "endTime": end,
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": agent_state, "queueId": queue_id,
                 "wrapupRequired": wrapup_required, "name": "Agent A"},
            ],
        })
        self.assertEqual(status, 201, seeded)
        agent = seeded["participants"][1]
        return seeded["conversationId"], agent["participantId"], agent["communicationId"]

    def query(self, **fields):
        return model(gc.ConversationQuery, interval=INTERVAL, **fields)


class QueueLookupTest(BackfillTest):
    def test_queues_by_exact_name_wildcard_id_and_division(self):
        support = self.queue("Support")
        self.queue("Support EU", division_id="00000000-0000-4000-8000-000000000002")
        listing = self.routing.get_routing_queues(name="support")
        self.assertIsInstance(listing, gc.QueueEntityListing)
        self.assertEqual([q.id for q in listing.entities], [support])
        queue = listing.entities[0]
        self.assertEqual(queue.name, "Support")
        self.assertEqual(queue.division.id, "00000000-0000-4000-8000-000000000001")
        self.assertEqual(len(self.routing.get_routing_queues(name="Support*").entities), 2)
        self.assertEqual(self.routing.get_routing_queues(name="nothing").entities, [])
        self.assertEqual([q.id for q in self.routing.get_routing_queues(id=[support]).entities], [support])
        eu = self.routing.get_routing_queues(division_id=["00000000-0000-4000-8000-000000000002"])
        self.assertEqual([q.name for q in eu.entities], ["Support EU"])
        status, raw = self.raw("GET", "/api/v2/routing/queues?name=Support*&pageSize=1")
        self.assertEqual(status, 200)
        self.assert_strict("QueueEntityListing", raw)
        self.assertEqual((raw["total"], raw["pageCount"], len(raw["entities"])), (2, 2, 1))
        self.assertIn("nextUri", raw)

    def test_queue_by_id(self):
        support = self.queue("Support")
        queue = self.routing.get_routing_queue(support)
        self.assertIsInstance(queue, gc.Queue)
        self.assertEqual(queue.name, "Support")
        status, raw = self.raw("GET", f"/api/v2/routing/queues/{support}")
        self.assertEqual(status, 200)
        self.assert_strict("Queue", raw)
        self.assert_api_error(404, "not.found", self.routing.get_routing_queue, str(uuid.uuid4()))


class QueueWrapupCodesTest(BackfillTest):
    def test_pages_bulk_add_delete_and_refusals(self):
        codes = [self.code(f"Code {i}") for i in range(5)]
        queue = self.queue("Support")
        added = self.routing.post_routing_queue_wrapupcodes(
            queue, [model(gc.WrapUpCodeReference, id=c.id) for c in codes])
        self.assertEqual(sorted(c.id for c in added), sorted(c.id for c in codes))
        seen = []
        for page in (1, 2, 3):
            listing = self.routing.get_routing_queue_wrapupcodes(queue, page_size=2, page_number=page)
            self.assertIsInstance(listing, gc.WrapupCodeEntityListing)
            self.assertEqual((listing.total, listing.page_count), (5, 3))
            seen += [c.id for c in listing.entities]
        self.assertEqual(sorted(seen), sorted(c.id for c in codes))
        status, raw = self.raw("GET", f"/api/v2/routing/queues/{queue}/wrapupcodes?pageSize=2")
        self.assertEqual(status, 200)
        self.assert_strict("WrapupCodeEntityListing", raw)
        self.assertIsNone(self.routing.delete_routing_queue_wrapupcode(queue, codes[0].id))
        self.assertEqual(self.routing.get_routing_queue_wrapupcodes(queue).total, 4)
        self.assert_api_error(404, "not.found", self.routing.delete_routing_queue_wrapupcode, queue, codes[0].id)
        self.assert_api_error(400, "invalid.value", self.routing.post_routing_queue_wrapupcodes,
                              queue, [model(gc.WrapUpCodeReference, id=str(uuid.uuid4()))])
        self.assert_api_error(404, "not.found", self.routing.post_routing_queue_wrapupcodes,
                              str(uuid.uuid4()), [model(gc.WrapUpCodeReference, id=codes[1].id)])


class DetailsQueryTest(BackfillTest):
    def setUp(self):
        super().setUp()
        self.sale = self.code("Sale")
        self.support = self.queue("Support", self.sale)
        self.sales = self.queue("Sales", self.sale)

    def test_interval_selects_by_start_day_and_answers_the_sdk_model(self):
        inside = self.seed(self.support)[0]
        self.seed(self.support, start="2026-11-29T23:00:00.000Z", end="2026-11-29T23:10:00.000Z")
        self.seed(self.support, start="2026-12-01T00:00:00.000Z", end="2026-12-01T00:10:00.000Z")
        answer = self.analytics.post_analytics_conversations_details_query(self.query())
        self.assertIsInstance(answer, gc.AnalyticsConversationQueryResponse)
        self.assertEqual(answer.total_hits, 1)
        conversation = answer.conversations[0]
        self.assertEqual(conversation.conversation_id, inside)
        self.assertEqual(conversation.conversation_end.isoformat(), "2026-11-30T09:05:00+00:00")
        agent = next(p for p in conversation.participants if p.purpose == "agent")
        session = agent.sessions[0]
        self.assertEqual(session.media_type, "voice")
        self.assertEqual([s.segment_type for s in session.segments], ["interact", "wrapup"])
        self.assertEqual(session.segments[1].queue_id, self.support)
        self.assertIsNone(session.segments[1].wrap_up_code)
        status, raw = self.raw("POST", "/api/v2/analytics/conversations/details/query", {"interval": INTERVAL})
        self.assertEqual(status, 200)
        self.assert_strict("AnalyticsConversationQueryResponse", raw)

    def test_filters_by_queue_media_and_wrapup_code(self):
        support_call = self.seed(self.support)
        self.seed(self.sales)
        support_email = self.seed(self.support, media="email")
        self.conversations.post_conversations_call_participant_communication_wrapup(
            *support_call, body=model(gc.WrapupInput, code=self.sale.id))

        def predicate(dimension, value=None, operator="matches"):
            fields = {"value": value} if value is not None else {}
            return model(gc.SegmentDetailQueryPredicate, type="dimension", dimension=dimension,
                         operator=operator, **fields)

        def ids(*filters):
            answer = self.analytics.post_analytics_conversations_details_query(
                self.query(segment_filters=list(filters)))
            return sorted(c.conversation_id for c in answer.conversations or [])

        by_queue = model(gc.SegmentDetailQueryFilter, type="and", predicates=[predicate("queueId", self.support)])
        self.assertEqual(ids(by_queue), sorted([support_call[0], support_email[0]]))
        by_media = model(gc.SegmentDetailQueryFilter, type="or", predicates=[predicate("mediaType", "email")])
        self.assertEqual(ids(by_queue, by_media), [support_email[0]])
        coded = model(gc.SegmentDetailQueryFilter, type="and", predicates=[
            predicate("segmentType", "wrapup"), predicate("wrapUpCode", operator="exists")])
        self.assertEqual(ids(coded), [support_call[0]])

    def test_paging_and_its_limits(self):
        seeded = sorted(self.seed(self.support, start=f"{DAY}T09:{m:02}:00.000Z",
                                  end=f"{DAY}T10:{m:02}:00.000Z")[0] for m in range(5))
        seen = []
        for page in (1, 2, 3):
            answer = self.analytics.post_analytics_conversations_details_query(
                self.query(paging=model(gc.PagingSpec, page_size=2, page_number=page), order="asc",
                           order_by="conversationStart"))
            self.assertEqual(answer.total_hits, 5)
            seen += [c.conversation_id for c in answer.conversations]
        self.assertEqual(sorted(seen), seeded)
        self.assertEqual(len(seen), 5)
        past = self.analytics.post_analytics_conversations_details_query(
            self.query(paging=model(gc.PagingSpec, page_size=2, page_number=4)))
        self.assertEqual((past.total_hits, past.conversations), (5, None))
        status, raw = self.raw("POST", "/api/v2/analytics/conversations/details/query",
                               {"interval": INTERVAL, "paging": {"pageSize": 2, "pageNumber": 4}})
        self.assertEqual((status, raw), (200, {"totalHits": 5}))
        post = self.analytics.post_analytics_conversations_details_query
        self.assert_api_error(400, "invalid.value", post,
                              self.query(paging=model(gc.PagingSpec, page_size=101, page_number=1)))
        self.assert_api_error(400, "bad.request", post,
                              self.query(paging=model(gc.PagingSpec, page_size=100, page_number=1001)))

    def test_open_reversed_and_over_long_intervals_are_refused(self):
        post = self.analytics.post_analytics_conversations_details_query
        for interval in ("2026-11-30T00:00:00.000Z", "2026-11-30T00:00:00.000Z/",
                         "2026-12-01T00:00:00.000Z/2026-11-30T00:00:00.000Z",
                         "2026-10-01T00:00:00.000Z/2026-11-30T00:00:00.000Z"):
            with self.subTest(interval=interval):
                body = self.assert_api_error(400, "invalid.value", post, model(gc.ConversationQuery, interval=interval))
                self.assertIn(interval, body.message)
        body = self.assert_api_error(400, "invalid.value", post,
                                     model(gc.ConversationQuery, interval="2026-10-01T00:00:00Z/2026-11-30T00:00:00Z"))
        self.assertIn("31 days", body.message)
        self.assert_api_error(400, "invalid.value", post, model(gc.ConversationQuery))


class MultiGetTest(BackfillTest):
    def setUp(self):
        super().setUp()
        self.sale = self.code("Sale")
        self.support = self.queue("Support", self.sale)

    def test_many_conversations_by_id_with_their_wrapups(self):
        first = self.seed(self.support)
        second = self.seed(self.support, media="message")
        self.conversations.post_conversations_call_participant_communication_wrapup(
            *first, body=model(gc.WrapupInput, code=self.sale.id, notes="done", tags=["t"]))
        answer = self.analytics.get_analytics_conversations_details(id=[first[0], second[0], str(uuid.uuid4())])
        self.assertIsInstance(answer, gc.AnalyticsConversationWithoutAttributesMultiGetResponse)
        self.assertEqual(sorted(c.conversation_id for c in answer.conversations), sorted([first[0], second[0]]))
        wrapped = next(c for c in answer.conversations if c.conversation_id == first[0])
        agent = next(p for p in wrapped.participants if p.participant_id == first[1])
        session = agent.sessions[0]
        self.assertEqual(session.session_id, first[2])
        wrapup = session.segments[-1]
        self.assertEqual((wrapup.segment_type, wrapup.wrap_up_code, wrapup.wrap_up_note, wrapup.wrap_up_tags),
                         ("wrapup", self.sale.id, "done", ["t"]))
        status, raw = self.raw("GET", f"/api/v2/analytics/conversations/details?id={first[0]},{second[0]}")
        self.assertEqual(status, 200)
        self.assert_strict("AnalyticsConversationWithoutAttributesMultiGetResponse", raw)
        single = self.analytics.get_analytics_conversation_details(first[0])
        self.assertIsInstance(single, gc.AnalyticsConversationWithoutAttributes)
        status, raw = self.raw("GET", f"/api/v2/analytics/conversations/{first[0]}/details")
        self.assert_strict("AnalyticsConversationWithoutAttributes", raw)
        self.assert_api_error(404, "not.found", self.analytics.get_analytics_conversation_details, str(uuid.uuid4()))

    def test_at_most_100_ids(self):
        ids = [str(uuid.uuid4()) for _ in range(101)]
        self.assert_api_error(400, "invalid.value", self.analytics.get_analytics_conversations_details, id=ids)
        self.assertEqual(self.analytics.get_analytics_conversations_details(id=ids[:100]).conversations, [])
        self.assert_api_error(400, "invalid.value", self.analytics.get_analytics_conversations_details)

    def test_analytics_lag_hides_a_new_wrapup_from_analytics_only(self):
        target = self.seed(self.support)
        status, _ = EMU.admin("PUT", "/__emulator/faults", {"analytics_lag_ms": 1500})
        self.assertEqual(status, 200)
        self.conversations.post_conversations_call_participant_communication_wrapup(
            *target, body=model(gc.WrapupInput, code=self.sale.id))
        self.assertEqual(self.conversations.get_conversation_participant_wrapup(target[0], target[1]).code,
                         self.sale.id)

        def analytics_code():
            answer = self.analytics.get_analytics_conversations_details(id=[target[0]])
            agent = next(p for p in answer.conversations[0].participants if p.participant_id == target[1])
            return agent.sessions[0].segments[-1].wrap_up_code

        self.assertIsNone(analytics_code())
        deadline = time.monotonic() + 30
        while analytics_code() is None:
            self.assertLess(time.monotonic(), deadline, "analytics never caught up")
            time.sleep(0.1)
        self.assertEqual(analytics_code(), self.sale.id)


if __name__ == "__main__":
    unittest.main()
