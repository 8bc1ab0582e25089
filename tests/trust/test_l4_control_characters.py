"""Issue #14, L4: a carriage return in a first name made `BadHeaderError` in the sender; the whole batch stayed
"sending" and was retried forever. Names with control characters are refused (card form, intake, API), and in the
sender one message that raises while being built or sent fails alone (and lands on the call list); the rest of its
batch is sent and nothing stays "sending"."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import ProposalStatus
from burenhulp.notifications import sending
from burenhulp.notifications.models import CallTask, Notification, NotificationStatus
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from tests.conftest import web_client
from tests.notifications.helpers import assert_nobody_unreached, open_request, propose, volunteers
from tests.realparts import SMTPSink
from tests.residents.test_api import BODY
from tests.residents.test_privacy_and_intake import INTAKE

BAD_NAMES = ["Jan\r\nBcc: all@example.org", "Jan\rX", "Jan\nX", "Ja\x00n", "Ja\tn", "Jan\u2028X", "Ja\u200en"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_api_refuses_control_characters_in_names(
    coordinator_api: APIClient, buurt: Neighbourhood, name: str
) -> None:
    for field in ("first_name", "last_name"):
        response = coordinator_api.post("/api/v1/residents/", {**BODY, field: name}, format="json")
        body = response.json()
        # A NUL is refused by the API's parser before the serializer (one message for the whole body, L2).
        assert response.status_code == 400 and (field in body or ("\x00" in name and "detail" in body)), (
            response.content
        )
    assert not Resident.objects.filter(last_name="Claeys").exists()


@pytest.mark.django_db
def test_the_intake_form_refuses_a_line_break_in_a_name_and_keeps_what_was_typed(
    buurt: Neighbourhood, coordinator: User
) -> None:
    client: Client = web_client(coordinator)
    response = client.post(
        "/coordinator/residents/new/", {**INTAKE, "first_name": "Maria\r\nX"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot contain line breaks" in html and "Via haar zoon Jan" in html
    assert not Resident.objects.filter(last_name="Claeys").exists()


@pytest.mark.django_db(transaction=True)
def test_one_bad_header_fails_alone_and_the_rest_of_the_batch_is_sent(
    smtp_server: SMTPSink, buurt: Neighbourhood, requester: Resident
) -> None:
    good_a, bad, good_b = volunteers(buurt, 3)
    request = open_request(requester)
    proposals = [propose(request, v) for v in (good_a, bad, good_b)]
    # A name stored before the rule existed (or by the admin): the accepted-requester subject carries it.
    Resident.objects.filter(pk=bad.pk).update(first_name="Vic\rtor")
    proposals[1].status = ProposalStatus.ACCEPTED
    proposals[1].save()
    rows: list[Notification] = []
    with transaction.atomic():
        rows.append(notify(template="proposal", key="l4:a", resident=good_a, context={"proposal_id": proposals[0].pk}))
        rows.append(
            notify(
                template="accepted_requester",
                key="l4:bad",
                resident=requester,
                context={"proposal_id": proposals[1].pk},
            )
        )
        rows.append(notify(template="proposal", key="l4:b", resident=good_b, context={"proposal_id": proposals[2].pk}))
    # Sent once more as one batch, as the sweeper would: the rows are reset and sent together.
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(status=NotificationStatus.PENDING, attempts=0)
    smtp_server.messages.clear()
    result = sending.send_batch([r.pk for r in rows], "l4-test")
    statuses = dict(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("idempotency_key", "status"))
    assert statuses == {"l4:a": "sent", "l4:bad": "failed", "l4:b": "sent"}, result
    assert not Notification.objects.filter(status=NotificationStatus.SENDING).exists()
    assert "BadHeaderError" in Notification.objects.get(idempotency_key="l4:bad").last_error
    assert CallTask.objects.get(notification__idempotency_key="l4:bad").resident == requester
    assert len(smtp_server.wait_for(2, timeout=5)) == 2
    assert_nobody_unreached()
