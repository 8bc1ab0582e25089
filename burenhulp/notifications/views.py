"""Pages reached from emails, and the email preferences.

Opening a link (GET) never changes anything: mail scanners open links. Every change is a POST from a confirm page
with one button. The links work without signing in; the signed token is the credential.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from burenhulp.helprequests import followups, services, stepback
from burenhulp.helprequests.forms import FollowUpForm, StepBackForm
from burenhulp.helprequests.models import FollowUp, MatchProposal, ProposalStatus, TransitionError
from burenhulp.notifications import contexts, links
from burenhulp.notifications.models import EmailLinkUse, Notification
from burenhulp.residents.models import Resident
from burenhulp.residents.services import resident_update

LINK_PROBLEM_STATUS = {"tampered": 400, "expired": 410, "used": 410, "taken": 200, "closed": 200}


def _link_problem(request: HttpRequest, kind: str, **extra: Any) -> HttpResponse:
    return render(request, "notifications/link_problem.html", {"kind": kind, **extra}, status=LINK_PROBLEM_STATUS[kind])


def _proposal_state(proposal: MatchProposal) -> str:
    """'open', 'used' (this volunteer already answered), 'taken' (someone else said yes) or 'closed'."""
    if EmailLinkUse.objects.filter(key=f"proposal:{proposal.public_id}").exists() or proposal.is_answered():
        return "used"
    if proposal.request.reached_a_match():
        return "taken"
    if not proposal.is_open() or not proposal.request.is_open():
        return "closed"
    if not proposal.volunteer.can_act():  # blocked, paused, erased or disabled: their links stop working (§12)
        return "closed"
    return "open"


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_answer(request: HttpRequest, action: str, token: str) -> HttpResponse:
    """Accept or decline a proposal from the email: GET shows the confirm page, POST acts (once)."""
    try:
        public_id = links.read_proposal_token(token, action)
    except links.BadLink as exc:
        return _link_problem(request, exc.problem.value)
    proposal = (
        MatchProposal.objects.select_related("request__buurt", "request__requester__street", "volunteer__user")
        .filter(public_id=public_id)
        .first()
    )
    if proposal is None:
        return _link_problem(request, "closed")
    # The page speaks the volunteer's language, whoever's browser opens it.
    with translation.override(proposal.volunteer.language):
        return _proposal_answer(request, proposal, action, token)


def _proposal_answer(request: HttpRequest, proposal: MatchProposal, action: str, token: str) -> HttpResponse:
    facts = contexts.request_summary(proposal.request)
    state = _proposal_state(proposal)
    if state != "open":
        return _link_problem(request, state, **facts)
    if request.method != "POST":
        return render(request, "notifications/proposal_confirm.html", {"action": action, "token": token, **facts})
    try:
        with transaction.atomic():
            EmailLinkUse.objects.create(key=f"proposal:{proposal.public_id}", action=action)
            if action == "accept":
                services.proposal_accept(proposal=proposal, by=None)
            else:
                services.proposal_decline(proposal=proposal, by=None)
    except IntegrityError:
        return _link_problem(request, "used", **facts)
    except TransitionError:
        proposal.refresh_from_db()
        proposal.request.refresh_from_db()
        state = _proposal_state(proposal)
        return _link_problem(request, state if state != "open" else "closed", **facts)
    tips = []
    if action == "accept":
        tips = contexts.guidance_tips(proposal.request.category, "before_you_go", translation.get_language() or "nl")
    return render(request, "notifications/proposal_done.html", {"action": action, "tips": tips, **facts})


@require_http_methods(["GET", "HEAD", "POST"])
def step_back(request: HttpRequest, token: str) -> HttpResponse:
    """A volunteer who said yes cannot come after all (DESIGN §12): GET shows what they said yes to with a confirm
    button and an optional reason; POST steps back (once). The signed link is the credential: no password."""
    try:
        public_id = links.read_action_token(token, "step_back")
    except links.BadLink as exc:
        return _link_problem(request, exc.problem.value)
    proposal = (
        MatchProposal.objects.select_related("request__buurt", "request__requester__street", "volunteer__user")
        .filter(public_id=public_id)
        .first()
    )
    if proposal is None:
        return _link_problem(request, "closed")
    with translation.override(proposal.volunteer.language):
        facts = contexts.request_summary(proposal.request)
        key = f"step_back:{proposal.public_id}"
        if EmailLinkUse.objects.filter(key=key).exists() or proposal.stepped_back_at is not None:
            return _link_problem(request, "used", **facts)
        if proposal.status != ProposalStatus.ACCEPTED or not proposal.request.reached_a_match():
            return _link_problem(request, "closed", **facts)
        form = StepBackForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    EmailLinkUse.objects.create(key=key, action="step_back")
                    stepback.proposal_withdraw(proposal=proposal, by=None, reason=form.cleaned_data["reason"])
            except IntegrityError:
                return _link_problem(request, "used", **facts)
            except TransitionError:
                return _link_problem(request, "closed", **facts)
            return render(request, "notifications/step_back_done.html", facts)
        return render(request, "notifications/step_back_confirm.html", {"form": form, **facts})


@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_answer(request: HttpRequest, token: str) -> HttpResponse:
    """ "How did it go?" from the email, for the requester and the volunteer alike: GET shows the questions, POST
    answers (once). The signed link is the credential: no password (DESIGN §12)."""
    try:
        public_id = links.read_action_token(token, "follow_up")
    except links.BadLink as exc:
        return _link_problem(request, exc.problem.value)
    fu = (
        FollowUp.objects.select_related("request__buurt", "request__requester__street", "respondent")
        .filter(public_id=public_id)
        .first()
    )
    if fu is None or fu.respondent is None:
        return _link_problem(request, "closed")
    with translation.override(fu.respondent.language):
        facts = contexts.request_summary(fu.request)
        key = f"follow_up:{fu.public_id}"
        if fu.answered_at is not None or EmailLinkUse.objects.filter(key=key).exists():
            return _link_problem(request, "used", **facts)
        form = FollowUpForm(request.POST if request.method == "POST" else None)
        answer: dict[str, Any] | None = None
        if request.method == "POST" and "hand_over" in request.POST:
            # One tap: the coordinator takes over, whatever else was (or was not) filled in.
            happened = request.POST.get("happened", "")
            answer = {
                "happened": happened if happened in FollowUp.Happened.values else "",
                "rating": None,
                "comment": request.POST.get("comment", "")[:2000],
                "too_much": "too_much" in request.POST,
            }
        elif request.method == "POST" and form.is_valid():
            answer = form.cleaned_data
        hand_over = request.method == "POST" and "hand_over" in request.POST
        if answer is not None:
            try:
                with transaction.atomic():
                    EmailLinkUse.objects.create(key=key, action="follow_up")
                    followups.followup_answer(
                        follow_up=fu,
                        happened=answer["happened"],
                        rating=answer["rating"],
                        comment=answer["comment"],
                        too_much=answer["too_much"],
                        hand_to_coordinator=hand_over,
                    )
            except IntegrityError:
                return _link_problem(request, "used", **facts)
            except TransitionError:
                return _link_problem(request, "used", **facts)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return render(request, "notifications/follow_up_done.html", {"hand_over": hand_over, **facts})
        return render(
            request,
            "notifications/follow_up.html",
            {"form": form, "to_volunteer": fu.role == FollowUp.Role.VOLUNTEER, **facts},
        )


@csrf_exempt  # Mail clients post the one-click unsubscribe (RFC 8058) without a session; the token is the credential.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Pause all emails. An unknown or changed token gets the same neutral page: it says nothing about who exists."""
    notification_id = links.read_unsubscribe_token(token)
    if notification_id is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method != "POST":
        return render(request, "notifications/unsubscribe_confirm.html", {"token": token})
    notification = (
        Notification.objects.filter(pk=notification_id).select_related("recipient_resident", "recipient_user").first()
    )
    resident: Resident | None = None
    if notification is not None:
        resident = notification.recipient_resident
        if resident is None and notification.recipient_user is not None:
            resident = Resident.objects.filter(user=notification.recipient_user).first()
    if resident is not None:
        Resident.objects.filter(pk=resident.pk).update(emails_paused=True)
    return render(request, "notifications/unsubscribe_done.html")


class PreferencesForm(forms.Form):
    emails_paused = forms.BooleanField(
        label=gettext_lazy("Pause all emails for now"),
        required=False,
        help_text=gettext_lazy("You get no proposals or news by email until you switch this off again."),
    )
    weekly_digest = forms.BooleanField(
        label=gettext_lazy("Send me a weekly email with requests near me"),
        required=False,
        help_text=gettext_lazy("Once a week, on Monday, only when there are open requests near you."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    resident: Resident | None = getattr(request.user, "resident", None)
    if resident is None:
        return render(request, "notifications/preferences.html", {"form": None}, status=404)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            # The residents' workflow: the weekly digest is opt-in, recorded as a consent that can be withdrawn.
            resident_update(resident=resident, data=form.cleaned_data, by=request.user)
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(
            initial={"emails_paused": resident.emails_paused, "weekly_digest": resident.weekly_digest}
        )
    return render(request, "notifications/preferences.html", {"form": form, "resident": resident})
