"""Call tasks (DESIGN §12): every message a resident had to hear that cannot be emailed (no address, emails paused,
a hard bounce, a send failure) lands on the coordinator's call list with what to say, and the answer recorded there
goes through the same workflow functions as the email links."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from burenhulp.coordination.calls import call_record
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests import services
from burenhulp.helprequests.models import FollowUp, MatchProposal, ProposalStatus, RequestStatus, TransitionError
from burenhulp.notifications.models import CallOutcome, CallTask, Notification, NotificationStatus
from burenhulp.notifications.outbox import notify
from burenhulp.privacy.erasure import account_erase
from burenhulp.residents.models import Resident
from tests.factories import ResidentFactory
from tests.notifications.helpers import assert_nobody_unreached, open_request, propose, unreached_without_call
from tests.realparts import SMTPSink

pytestmark = pytest.mark.django_db(transaction=True)


def _phone_only(buurt: Neighbourhood, **kw: object) -> Resident:
    return ResidentFactory(buurt=buurt, email="", first_name="Jef", phone="051 22 33 44", **kw)


def _notify_proposal(volunteer: Resident, proposal: MatchProposal) -> Notification:
    with transaction.atomic():
        return notify(
            template="proposal",
            key=f"proposal:{proposal.pk}:{volunteer.pk}",
            resident=volunteer,
            context={"proposal_id": proposal.pk},
        )


def test_a_proposal_to_someone_without_email_becomes_a_call_with_what_to_say(
    smtp_server: SMTPSink, buurt: Neighbourhood, requester: Resident
) -> None:
    jef = _phone_only(buurt)
    proposal = propose(open_request(requester), jef)
    row = _notify_proposal(jef, proposal)
    assert row.status == NotificationStatus.SKIPPED
    task = CallTask.objects.get(notification=row)
    assert (task.resident, task.proposal, task.request_id, task.buurt) == (jef, proposal, proposal.request_id, buurt)
    assert task.is_open() and task.why == "no email address"
    # In Dutch (his language), from the request's facts; no house number before he says yes.
    assert "Kerkstraat" in task.say and "Kan je helpen" in task.say and "Kerkstraat 17" not in task.say
    assert_nobody_unreached()
    assert smtp_server.wait_for(1, timeout=0.3) == []


def test_in_the_persons_language(buurt: Neighbourhood, requester: Resident) -> None:
    jeanne = _phone_only(buurt, language="fr")
    _notify_proposal(jeanne, propose(open_request(requester), jeanne))
    task = CallTask.objects.get(resident=jeanne)
    assert "Pouvez-vous" in task.say or "voisin" in task.say, task.say


def test_paused_emails_and_hard_bounces_become_calls(
    smtp_server: SMTPSink, volunteer: Resident, requester: Resident
) -> None:
    Resident.objects.filter(pk=volunteer.pk).update(emails_paused=True)
    volunteer.refresh_from_db()
    paused = _notify_proposal(volunteer, propose(open_request(requester), volunteer))
    assert CallTask.objects.get(notification=paused).why == "emails paused"

    Resident.objects.filter(pk=volunteer.pk).update(emails_paused=False)
    volunteer.refresh_from_db()
    smtp_server.replies = ["550 5.1.1 No such mailbox"]
    bounced = _notify_proposal(volunteer, propose(open_request(requester, days_ahead=4), volunteer))
    bounced.refresh_from_db()
    assert bounced.status == NotificationStatus.FAILED
    assert "550" in CallTask.objects.get(notification=bounced).why
    assert_nobody_unreached()


def test_the_helper_sees_a_dropped_message(buurt: Neighbourhood, requester: Resident) -> None:
    jef = _phone_only(buurt)
    row = _notify_proposal(jef, propose(open_request(requester), jef))
    CallTask.objects.filter(notification=row).delete()
    assert len(unreached_without_call()) == 1


def test_obsolete_messages_and_digests_make_no_call(buurt: Neighbourhood, requester: Resident) -> None:
    jef = _phone_only(buurt)
    with transaction.atomic():
        notify(template="weekly_digest", key="wd:1", resident=jef, context={"resident_id": jef.pk})
    assert not CallTask.objects.exists()
    assert_nobody_unreached()


def test_taken_settles_a_question_nobody_phoned_yet(buurt: Neighbourhood, requester: Resident) -> None:
    jef = _phone_only(buurt)
    proposal = propose(open_request(requester), jef)
    _notify_proposal(jef, proposal)
    with transaction.atomic():
        notify(
            template="taken", key=f"taken:{proposal.pk}:{jef.pk}", resident=jef, context={"proposal_id": proposal.pk}
        )
    assert set(CallTask.objects.values_list("template", "outcome")) == {
        ("proposal", CallOutcome.NOT_NEEDED),
        ("taken", CallOutcome.NOT_NEEDED),
    }
    assert not CallTask.objects.open().exists()
    assert_nobody_unreached()


def test_recording_a_yes_runs_the_accept_workflow_and_is_audited(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    jef = _phone_only(buurt)
    proposal = propose(open_request(requester), jef)
    _notify_proposal(jef, proposal)
    task = CallTask.objects.get()
    done = call_record(task=task, outcome=CallOutcome.ACCEPTED, by=coordinator)
    assert done.outcome == CallOutcome.ACCEPTED and not done.is_open() and done.done_by == coordinator
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.answered_by == coordinator
    assert proposal.request.status == RequestStatus.MATCHED
    assert AuditLog.objects.filter(
        actor=coordinator, target_type="notifications.calltask", subject_resident_id=jef.pk
    ).exists()
    # Jef hears who he helps by phone too: the acceptance is a new call.
    assert CallTask.objects.open().get(resident=jef).template == "accepted_volunteer"
    assert "Kerkstraat 17" in CallTask.objects.open().get(resident=jef).say
    assert_nobody_unreached()
    with pytest.raises(TransitionError):
        call_record(task=task, outcome=CallOutcome.REACHED, by=coordinator)


def test_a_yes_for_a_proposal_already_taken_says_so_and_changes_nothing(
    buurt: Neighbourhood, requester: Resident, volunteer: Resident, coordinator: User
) -> None:
    jef = _phone_only(buurt)
    request = open_request(requester)
    first, late = propose(request, volunteer), propose(request, jef)
    _notify_proposal(jef, late)
    task = call_record(task=CallTask.objects.get(), outcome=CallOutcome.NOT_REACHED, by=coordinator)
    services.proposal_accept(proposal=first, by=None)
    audits = AuditLog.objects.filter(target_type="notifications.calltask").count()
    with pytest.raises(TransitionError):
        call_record(task=task, outcome=CallOutcome.ACCEPTED, by=coordinator)
    task.refresh_from_db()
    late.refresh_from_db()
    assert task.is_open() and task.attempts == 1 and late.status == ProposalStatus.WITHDRAWN
    assert AuditLog.objects.filter(target_type="notifications.calltask").count() == audits
    assert_nobody_unreached()


def test_not_reached_counts_the_try_and_keeps_the_call(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    jef = _phone_only(buurt)
    _notify_proposal(jef, propose(open_request(requester), jef))
    task = call_record(task=CallTask.objects.get(), outcome=CallOutcome.NOT_REACHED, by=coordinator)
    assert task.is_open() and task.attempts == 1
    with pytest.raises(ValidationError):
        call_record(task=task, outcome="maybe", by=coordinator)
    with pytest.raises(ValidationError):
        call_record(task=task, outcome=CallOutcome.ANSWERED, by=coordinator)


def test_a_follow_up_answer_recorded_by_phone(buurt: Neighbourhood, requester: Resident, coordinator: User) -> None:
    jef = _phone_only(buurt)
    request = open_request(requester)
    follow_up = FollowUp.objects.create(request=request, respondent=jef, role=FollowUp.Role.VOLUNTEER)
    with transaction.atomic():
        notify(
            template="follow_up",
            key=f"follow_up:{follow_up.pk}:{jef.pk}",
            resident=jef,
            context={"follow_up_id": follow_up.pk},
        )
    task = CallTask.objects.get(follow_up=follow_up)
    call_record(task=task, outcome=CallOutcome.ANSWERED, by=coordinator, happened="yes", rating=5)
    follow_up.refresh_from_db()
    assert follow_up.answered_at is not None and follow_up.happened == "yes" and follow_up.rating == 5
    assert_nobody_unreached()


def test_erasure_removes_the_calls_to_and_about_the_person(
    buurt: Neighbourhood, requester: Resident, coordinator: User
) -> None:
    jef = _phone_only(buurt)
    proposal = propose(open_request(requester), jef)
    _notify_proposal(jef, proposal)
    call_record(task=CallTask.objects.get(), outcome=CallOutcome.ACCEPTED, by=coordinator)
    # Jef's call carries Rita's address: it goes with her account.
    assert "Kerkstraat 17" in CallTask.objects.get(template="accepted_volunteer").say
    account_erase(user=requester.user)
    assert not CallTask.objects.filter(say__contains="Kerkstraat 17").exists()
    assert not CallTask.objects.filter(resident=requester).exists()
    assert_nobody_unreached()
