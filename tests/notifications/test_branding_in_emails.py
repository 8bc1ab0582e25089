"""Notification emails carry the neighbourhood's branding: its name at the top and its contact line at the bottom,
in the text and the HTML part (sent through the outbox to a real SMTP server)."""

from __future__ import annotations

import pytest
from django.db import transaction

from burenhulp.core.models import Branding
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident
from tests.notifications.helpers import open_request, propose
from tests.realparts import SMTPSink, text_and_html

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_proposal_email_shows_the_neighbourhood_branding(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    Branding.objects.create(buurt=requester.buurt, name="Zorgzaam Wakken", contact_line="Zorgpunt · 056 12 34 56")
    proposal = propose(open_request(requester), volunteer)
    with transaction.atomic():
        notify(
            template="proposal",
            key=f"proposal:{proposal.pk}:{volunteer.pk}",
            resident=volunteer,
            context={"proposal_id": proposal.pk},
        )
    text, html = text_and_html(smtp_server.wait_for(1, timeout=5)[0])
    for part in (text, html):
        assert "Zorgpunt · 056 12 34 56" in part
    assert "Zorgzaam Wakken" in html
