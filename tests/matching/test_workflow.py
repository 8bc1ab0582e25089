"""The proposal workflow over time: escalation of rounds, follow-ups, release and match by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from burenhulp.coordination.models import QueueItem
from burenhulp.core.models import AuditLog, Neighbourhood, User
from burenhulp.helprequests import followups, rounds, services
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, TransitionError
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident
from matching.selection import select_candidates
from tests.requests.helpers import HEAVY, LIGHT, helper

pytestmark = pytest.mark.django_db


def create(requester: Resident, **kw: object) -> HelpRequest:
    return services.request_create(requester=requester, category="boodschappen", description=LIGHT, **kw)  # type: ignore[arg-type]


def test_rounds_escalate_after_the_window_and_end_in_the_queue(buurt: Neighbourhood, requester: Resident) -> None:
    helpers = [helper(buurt, 100 * (i + 1)) for i in range(5)]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hr = create(requester)
    assert hr.current_round == 1
    assert rounds.rounds_escalate_due(start + timedelta(hours=23)) == 0
    assert rounds.rounds_escalate_due(start + timedelta(hours=24)) == 1
    assert rounds.rounds_escalate_due(start + timedelta(hours=24)) == 0  # twice: effect once
    hr.refresh_from_db()
    assert hr.current_round == 2 and hr.status == "proposed"
    first_round = MatchProposal.objects.filter(request=hr, round=1)
    assert set(first_round.values_list("status", flat=True)) == {"expired"}
    assert set(MatchProposal.objects.filter(request=hr, round=2).values_list("volunteer_id", flat=True)) == {
        helpers[3].pk,
        helpers[4].pk,
    }
    # The requester hears that more neighbours are asked, once per new round.
    to_requester = Notification.objects.filter(recipient_resident=requester)
    assert list(to_requester.values_list("template", flat=True)) == ["round_escalated"]
    assert rounds.rounds_escalate_due(start + timedelta(hours=48)) == 1
    hr.refresh_from_db()
    assert hr.status == "queued"
    assert QueueItem.objects.filter(request=hr, kind="no_match", status="open").count() == 1
    assert sorted(to_requester.values_list("template", flat=True)) == ["no_match", "round_escalated"]


def test_urgent_requests_escalate_sooner(buurt: Neighbourhood, requester: Resident) -> None:
    for i in range(4):
        helper(buurt, 100 * (i + 1))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hr = create(requester, urgent=True)
    assert rounds.rounds_escalate_due(start + timedelta(hours=6)) == 1
    hr.refresh_from_db()
    assert hr.current_round == 2


def test_when_the_whole_round_declines_the_next_starts_at_once(buurt: Neighbourhood, requester: Resident) -> None:
    for i in range(4):
        helper(buurt, 100 * (i + 1))
    hr = create(requester)
    for p in MatchProposal.objects.filter(request=hr, round=1):
        services.proposal_decline(proposal=p)
    hr.refresh_from_db()
    assert hr.current_round == 2
    assert MatchProposal.objects.filter(request=hr, round=2, status="proposed").count() == 1


def test_follow_ups_after_the_date_for_both_sides(buurt: Neighbourhood, requester: Resident) -> None:
    volunteer = helper(buurt, 100)
    start = timezone.now() + timedelta(days=1)
    hr = create(requester, window_start=start, window_end=start + timedelta(hours=2))
    p = MatchProposal.objects.get(request=hr)
    services.proposal_accept(proposal=p)
    assert followups.followups_create_due(start) == 0
    assert followups.followups_create_due(start + timedelta(hours=3)) == 2
    assert followups.followups_create_due(start + timedelta(hours=4)) == 0
    hr.refresh_from_db()
    assert hr.status == "done"
    roles = dict(FollowUp.objects.filter(request=hr).values_list("respondent_id", "role"))
    assert roles == {requester.pk: "requester", volunteer.pk: "volunteer"}
    assert Notification.objects.filter(template="follow_up").count() == 2

    mine = FollowUp.objects.get(request=hr, respondent=requester)
    followups.followup_answer(follow_up=mine, happened="yes", rating=5)
    assert not QueueItem.objects.filter(kind="follow_up").exists()
    with pytest.raises(TransitionError):
        followups.followup_answer(follow_up=mine, happened="yes")
    theirs = FollowUp.objects.get(request=hr, respondent=volunteer)
    followups.followup_answer(follow_up=theirs, happened="yes", too_much=True)
    item = QueueItem.objects.get(kind="follow_up")
    assert item.reasons == ["follow_up_too_much"] and item.follow_up_id == theirs.pk
    # The "too much" now counts as load the next time this volunteer is ranked.
    other = HelpRequest.objects.create(buurt=buurt, requester=requester, category="boodschappen", description="x")
    ranked = select_candidates(other).ranked
    assert ranked and {"code": "strained", "active": 0} in ranked[0].reasons


def test_follow_up_answer_is_validated(buurt: Neighbourhood, requester: Resident) -> None:
    helper(buurt, 100)
    hr = create(requester)
    services.proposal_accept(proposal=MatchProposal.objects.get(request=hr))
    followups.followups_create_due(timezone.now() + timedelta(days=8))
    fu = FollowUp.objects.get(request=hr, respondent=requester)
    with pytest.raises(ValidationError):
        followups.followup_answer(follow_up=fu, happened="maybe")
    with pytest.raises(ValidationError):
        followups.followup_answer(follow_up=fu, happened="yes", rating=9)
    fu.refresh_from_db()
    assert fu.answered_at is None


def test_release_overrides_triage_and_is_logged(buurt: Neighbourhood, requester: Resident, coordinator: User) -> None:
    helper(buurt, 100, offers=("documenten",))
    hr = services.request_create(requester=requester, category="documenten", description=HEAVY)
    assert hr.status == "queued" and hr.triage_level == "heavy"
    assert not MatchProposal.objects.exists()
    rnd = services.request_release(request=hr, by=coordinator, reason="Only paperwork to sort")
    hr.refresh_from_db()
    assert hr.triage_level == "light" and hr.triage_overridden_by == coordinator
    assert hr.status == "proposed" and len(rnd.proposals) == 1
    assert AuditLog.objects.filter(action="override", actor=coordinator, target_id=str(hr.pk)).exists()
    assert not QueueItem.objects.filter(request=hr, status="open").exists()
    with pytest.raises(TransitionError):
        services.request_release(request=hr, by=coordinator, reason="Only paperwork to sort")


def test_match_by_hand_and_cancel(buurt: Neighbourhood, requester: Resident, coordinator: User) -> None:
    chosen = helper(buurt, 800, offers=())  # the coordinator knows her, even without the box ticked
    helper(buurt, 100)
    hr = create(requester)
    accepted = services.request_match_by_hand(request=hr, volunteer=chosen, by=coordinator)
    hr.refresh_from_db()
    assert accepted.status == "accepted" and accepted.volunteer == chosen and hr.status == "matched"
    assert set(MatchProposal.objects.filter(request=hr).values_list("status", flat=True)) == {"accepted", "withdrawn"}
    with pytest.raises(TransitionError):
        services.request_match_by_hand(request=hr, volunteer=chosen, by=coordinator)
    again = create(requester)
    services.request_cancel(request=again, by=requester.user)
    again.refresh_from_db()
    assert again.status == "cancelled"
    assert set(MatchProposal.objects.filter(request=again).values_list("status", flat=True)) == {"withdrawn"}
    with pytest.raises(TransitionError):
        services.request_cancel(request=again)


def test_history_adds_a_check_in_but_keeps_the_level(buurt: Neighbourhood, requester: Resident) -> None:
    requester.needs_follow_up = True
    requester.save()
    hr = create(requester)
    assert hr.triage_level == "light"
    assert QueueItem.objects.filter(request=hr, kind="check_in").exists()


def test_the_beat_tasks_run_twice_with_effect_once(buurt: Neighbourhood, requester: Resident) -> None:
    from burenhulp.helprequests.tasks import create_follow_ups, escalate_rounds

    for i in range(4):
        helper(buurt, 100 * (i + 1))
    hr = create(requester)
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert escalate_rounds() == 1
        assert escalate_rounds() == 0
    services.proposal_accept(proposal=MatchProposal.objects.filter(request=hr, status="proposed").first())  # type: ignore[arg-type]
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        assert create_follow_ups() == 2
        assert create_follow_ups() == 0
