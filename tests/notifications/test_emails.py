"""Every email: subject, text and HTML part, in the recipient's language, with unsubscribe and pause links. Sent
through the outbox to a real SMTP server (aiosmtpd); tasks run in-process after commit."""

from __future__ import annotations

from email.message import Message

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.html import escape

from burenhulp.coordination.models import ProfessionalService, QueueItem, QueueKind, Referral
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import FollowUp, ProposalStatus, RequestStatus, TriageLevel
from burenhulp.notifications import sending
from burenhulp.notifications.models import Notification, NotificationStatus
from burenhulp.notifications.outbox import notify
from burenhulp.notifications.tasks import send_notifications
from burenhulp.residents.models import Resident
from tests.notifications.helpers import open_request, propose
from tests.realparts import SMTPSink, text_and_html
from toolbox_content.guidance import pieces_for

pytestmark = pytest.mark.django_db(transaction=True)


def _send_proposal(volunteer: Resident, requester: Resident) -> Notification:
    request = open_request(requester)
    proposal = propose(request, volunteer)
    with transaction.atomic():
        return notify(
            template="proposal",
            key=f"proposal:{proposal.pk}:{volunteer.pk}",
            resident=volunteer,
            context={"proposal_id": proposal.pk},
        )


def _only(smtp: SMTPSink) -> Message:
    messages = smtp.wait_for(1, timeout=5)
    assert len(messages) == 1
    return messages[0]


def test_proposal_email_says_what_when_where_why_with_tips_and_links(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(language="en")
    volunteer.refresh_from_db()
    row = _send_proposal(volunteer, requester)
    message = _only(smtp_server)
    text, html = text_and_html(message)
    assert message["To"] == "volunteer@example.org"
    assert message["Subject"] == "Can you help a neighbour? Small errands and shopping (Kerkstraat)"
    for part in (text, html):
        assert "Kerkstraat" in part and "17" not in part.split("Kerkstraat")[1][:5]  # Street, never the number.
        assert "0470" not in part  # No phone before saying yes.
        assert "You live 200 m away" in part and "You both speak Dutch" in part
        assert "active help" not in part and "helping 1 other" not in part  # Load is for the coordinator.
        assert "/email/proposal/accept/" in part and "/email/proposal/decline/" in part
    tips = pieces_for(audience="volunteer", category="boodschappen", moment="proposal", language="en")
    assert 2 <= len(tips) <= 3
    for tip in tips:
        assert tip.title in text and escape(tip.title) in html
    assert "Boodschappen bij de bakker & de apotheek" in text  # Plain text is not HTML-escaped.
    assert "&amp; de apotheek" in html
    assert "<h1" in html and 'lang="en"' in html and "<img" not in html
    unsubscribe = " ".join(message["List-Unsubscribe"].split())  # Long headers are folded.
    assert unsubscribe.startswith("<http://testserver/email/unsubscribe/") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/email/settings/" in text and "/email/settings/" in html  # The pause/settings link.
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 1


def test_proposal_email_speaks_french_to_a_french_volunteer(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(language="fr")
    volunteer.refresh_from_db()
    _send_proposal(volunteer, requester)
    message = _only(smtp_server)
    text, html = text_and_html(message)
    assert message["Subject"].startswith("Pouvez-vous aider un voisin")
    assert "Oui, j'aide" in text and ("Oui, j&#x27;aide" in html or "Oui, j'aide" in html)
    assert 'lang="fr"' in html


def test_each_template_renders_in_each_language(
    buurt: Neighbourhood, volunteer: Resident, requester: Resident, coordinator: User
) -> None:
    request = open_request(requester)
    request.triage_level = TriageLevel.LIGHT
    request.save()
    proposal = propose(request, volunteer)
    accepted = propose(open_request(requester, category="hond"), volunteer)
    accepted.status = ProposalStatus.ACCEPTED
    accepted.save()
    follow = FollowUp.objects.create(request=request, respondent=volunteer, role=FollowUp.Role.VOLUNTEER)
    item = QueueItem.objects.create(buurt=buurt, kind=QueueKind.TRIAGE, request=request, level=TriageLevel.CRISIS)
    service = ProfessionalService.objects.create(buurt=buurt, name="CAW", kind="caw", phone="056 11 22 33")
    referral = Referral.objects.create(buurt=buurt, request=request, resident=requester, service=service, consent=True)
    Resident.objects.filter(pk=volunteer.pk).update(weekly_digest=True, lat=buurt.lat, lon=buurt.lon)
    open_request(requester, category="planten")  # one the volunteer was not asked yet: the weekly digest lists it
    cases = [
        ("proposal", {"proposal_id": proposal.pk}, volunteer),
        ("accepted_volunteer", {"proposal_id": proposal.pk}, volunteer),
        ("accepted_requester", {"proposal_id": proposal.pk}, requester),
        ("taken", {"proposal_id": proposal.pk}, volunteer),
        ("stepped_back", {"proposal_id": accepted.pk}, requester),
        ("referred", {"referral_id": referral.pk}, requester),
        ("round_escalated", {"request_id": request.pk}, requester),
        ("no_match", {"request_id": request.pk}, requester),
        ("reminder", {"proposal_id": accepted.pk}, volunteer),
        ("follow_up", {"follow_up_id": follow.pk}, volunteer),
        ("crisis_alert", {"request_id": request.pk, "queue_item_id": item.pk}, coordinator),
        ("queue_digest", {"buurt_id": buurt.pk}, coordinator),
        ("weekly_digest", {"resident_id": volunteer.pk}, volunteer),
    ]
    for language in ("nl-be", "fr", "en"):
        for template, context, recipient in cases:
            row = Notification(
                pk=1,
                template=template,
                idempotency_key=f"{template}:x:{language}",
                context=context,
                to_email="x@example.org",
                language=language,
                recipient_resident=recipient if isinstance(recipient, Resident) else None,
                recipient_user=recipient if isinstance(recipient, User) else None,
            )
            message = sending.build_message(row)
            html = message.alternatives[0][0]
            assert message.subject and "\n" not in message.subject, (template, language)
            assert "{%" not in message.body and "{{" not in message.body, (template, language)
            assert "/email/unsubscribe/" in message.body and "/email/unsubscribe/" in html, (template, language)
            with translation.override(language):
                assert f'lang="{language[:2]}"' in html
            assert "&amp;#x27;" not in html and "&#x27;" not in message.body, (template, language)


def test_accepted_emails_carry_the_contact_details(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    proposal = propose(open_request(requester), volunteer)
    Resident.objects.filter(pk=volunteer.pk).update(phone="0499 99 88 77", language="en")
    volunteer.refresh_from_db()
    Resident.objects.filter(pk=requester.pk).update(language="en")
    requester.refresh_from_db()
    with transaction.atomic():
        notify(
            template="accepted_volunteer",
            key=f"accepted_volunteer:{proposal.pk}:{volunteer.pk}",
            resident=volunteer,
            context={"proposal_id": proposal.pk},
        )
        notify(
            template="accepted_requester",
            key=f"accepted_requester:{proposal.pk}:{requester.pk}",
            resident=requester,
            context={"proposal_id": proposal.pk},
        )
    messages = {m["To"]: m for m in smtp_server.wait_for(2, timeout=5)}
    to_volunteer, _ = text_and_html(messages["volunteer@example.org"])
    assert "Kerkstraat 17" in to_volunteer and "0470 12 34 56" in to_volunteer and "Rita" in to_volunteer
    to_requester, _ = text_and_html(messages["requester@example.org"])
    assert "Victor" in to_requester and "0499 99 88 77" in to_requester and "Kerkstraat 17" not in to_requester


def test_recipient_without_email_gets_a_skipped_row_the_coordinator_sees(
    smtp_server: SMTPSink, buurt: Neighbourhood, coordinator: User, outsider_coordinator: User
) -> None:
    from tests.factories import ResidentFactory

    nobody = ResidentFactory(buurt=buurt, email="", first_name="Maria", phone="051 12 34 56")
    with transaction.atomic():
        row = notify(template="no_match", key=f"no_match:1:{nobody.pk}", resident=nobody, context={"request_id": 1})
    assert row.status == NotificationStatus.SKIPPED and row.last_error == "no email address"
    listed = list(Notification.objects.for_coordinator(coordinator).needs_attention())
    assert [n.recipient_resident.phone for n in listed] == ["051 12 34 56"]  # type: ignore[union-attr]
    assert list(Notification.objects.for_coordinator(outsider_coordinator).needs_attention()) == []
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_paused_emails_are_not_sent(smtp_server: SMTPSink, volunteer: Resident, requester: Resident) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(emails_paused=True)
    volunteer.refresh_from_db()
    row = _send_proposal(volunteer, requester)
    assert row.status == NotificationStatus.SKIPPED and row.last_error == "emails paused"
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_smtp_550_marks_failed_without_retrying(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident, coordinator: User
) -> None:
    smtp_server.replies = ["550 5.1.1 No such mailbox", "250 would have been accepted"]
    row = _send_proposal(volunteer, requester)
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and row.attempts == 1 and "550" in row.last_error
    assert smtp_server.replies == ["250 would have been accepted"]  # Never tried again.
    assert list(Notification.objects.for_coordinator(coordinator).needs_attention()) == [row]


def test_a_proposal_no_longer_open_at_send_time_is_skipped(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    request = open_request(requester)
    proposal = propose(request, volunteer)
    request.status = RequestStatus.MATCHED
    request.save()
    with transaction.atomic():
        row = notify(template="proposal", key="p:1", resident=volunteer, context={"proposal_id": proposal.pk})
    row.refresh_from_db()
    assert row.status == NotificationStatus.SKIPPED and "no longer open" in row.last_error
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_asking_more_neighbours_reaches_the_requester_only_while_still_asking(
    smtp_server: SMTPSink, requester: Resident
) -> None:
    request = open_request(requester)
    with transaction.atomic():
        notify(template="round_escalated", key="r:1", resident=requester, context={"request_id": request.pk})
    text, _ = text_and_html(_only(smtp_server))
    assert "meer buren" in text and "Je hoeft niets te doen" in text
    request.status = RequestStatus.MATCHED  # taken before the message went out
    request.save()
    with transaction.atomic():
        row = notify(template="round_escalated", key="r:2", resident=requester, context={"request_id": request.pk})
    row.refresh_from_db()
    assert row.status == NotificationStatus.SKIPPED and "moved on" in row.last_error
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1  # still only the first


def test_task_run_twice_sends_once(smtp_server: SMTPSink, volunteer: Resident, requester: Resident) -> None:
    proposal = propose(open_request(requester), volunteer)
    with transaction.atomic():
        row = notify(template="proposal", key="p:2", resident=volunteer, context={"proposal_id": proposal.pk})
        # The same event twice in one transaction is still one row.
        assert notify(template="proposal", key="p:2", resident=volunteer, context={}).pk == row.pk
    send_notifications.apply(args=[[row.pk]])
    send_notifications.apply(args=[[row.pk, row.pk]])
    assert len(smtp_server.wait_for(2, timeout=1)) == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 1
