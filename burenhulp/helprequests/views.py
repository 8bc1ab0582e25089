"""Resident pages: ask for help, my requests, proposals (accept / decline) and the follow-up.

Views: permission-checked fetch → form → workflow function → redirect. Public URLs carry UUIDs only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from burenhulp.coordination.selectors import referral_of
from burenhulp.core.categories import ICONS
from burenhulp.core.confirm import confirm_page, is_confirmed
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.helplines import help_lines
from burenhulp.core.models import AuditLog, audit
from burenhulp.helprequests import followups, services, stepback
from burenhulp.helprequests.forms import AskForm, AskOnBehalfForm, FollowUpForm, StepBackForm
from burenhulp.helprequests.models import (
    FollowUp,
    HelpRequest,
    MatchProposal,
    ProposalStatus,
    RequestStatus,
    TransitionError,
    TriageLevel,
)
from burenhulp.helprequests.selectors import accepted_proposal, held_words, round_reach
from burenhulp.residents.models import Resident
from burenhulp.residents.selectors import contact_of
from matching.reasons import describe_all, friendly_sentence


def my_resident(request: HttpRequest) -> Resident:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        raise Http404
    return resident


def _no_profile(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("First make your Burenbox, then you can ask for help."))
    return redirect("dashboard")


def _create_from_form(form: AskForm, *, requester: Resident, **how: Any) -> HelpRequest | None:
    """The request of a valid ask form (the resident's or a coordinator's on their behalf), through `request_create`;
    None with the workflow's refusals put on the form's fields."""
    data = form.cleaned_data
    try:
        return services.request_create(
            requester=requester,
            category=data["category"],
            description=data["description"],
            window_start=data["window_start"],
            window_end=data["window_end"],
            urgent=data["urgent"],
            sensitive_topic=data["sensitive_topic"],
            **how,
        )
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        return _no_profile(request)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hr = _create_from_form(form, requester=resident, by=request.user, via="self")
        if hr is not None:
            # The request's own page, announced as sent: what happens next depends on the triage outcome.
            return redirect(reverse("requests:detail", args=[hr.public_id]) + "?sent=1")
    return render(request, "requests/ask.html", {"form": form})


@coordinator_required
def ask_for(request: CoordinatorRequest, pk: int) -> HttpResponse:
    """A coordinator asks for help on a resident's behalf (DESIGN §12): the resident's form plus how the request
    came in, through the same `request_create` (triage, matching). For any resident of their neighbourhoods."""
    resident = get_object_or_404(
        Resident.objects.for_coordinator(request.user).filter(deleted_at__isnull=True).select_related("buurt"), pk=pk
    )
    form = AskOnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hr = _create_from_form(
            form, requester=resident, by=request.user, via="coordinator", came_in_by=form.cleaned_data["came_in_by"]
        )
        if hr is not None:
            audit(
                actor=request.user,
                action=AuditLog.Action.CREATE,
                target=hr,
                reason=f"asked on behalf ({hr.came_in_by})",
            )
            messages.success(request, on_behalf_outcome(hr))
            return redirect("residents:intake_edit", pk=resident.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "resident": resident, "coord_section": "residents"}
    return render(request, "requests/ask_for.html", context, status=status)


def on_behalf_outcome(hr: HelpRequest) -> str:
    """What happened to a request entered on someone's behalf, said plainly to the coordinator."""
    name = hr.requester.first_name
    if hr.triage_level != TriageLevel.LIGHT:
        return _("The request of %(name)s is in the queue: a coordinator looks at it first.") % {"name": name}
    asked = list(hr.proposals.filter(status=ProposalStatus.PROPOSED).select_related("volunteer__user"))
    if not asked:
        return _("The request of %(name)s is saved; no neighbour is free yet, so it is in the queue.") % {"name": name}
    by_phone = sum(1 for p in asked if not contact_of(p.volunteer).email or p.volunteer.emails_paused)
    text = _("The request of %(name)s is saved and %(n)d neighbours are asked.") % {"name": name, "n": len(asked)}
    if by_phone:
        text += " " + _("%(n)d of them have no email: they are on the call list.") % {"n": by_phone}
    return text


@login_required
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The requester's confirmation and status page; the accepted volunteer sees the same request with the
    requester's contact details."""
    me = my_resident(request)
    hr = (
        HelpRequest.objects.select_related("buurt", "requester__street", "requester__user")
        .filter(public_id=public_id)
        .first()
    )
    if hr is None:
        raise Http404
    accepted = accepted_proposal(hr)
    if hr.requester_id == me.pk:
        role = "requester"
    elif accepted is not None and accepted.volunteer_id == me.pk:
        role = "volunteer"
    else:
        raise Http404
    if request.method == "POST" and role == "requester" and "cancel" in request.POST:
        if not is_confirmed(request):
            return confirm_page(
                request,
                title=_("Do you no longer need this help?"),
                lines=[
                    _("We stop asking neighbours for it and close your request."),
                    _("You can always ask again later."),
                ],
                button=_("Yes, I no longer need it"),
                fields=[("cancel", "1")],
                back_url=request.get_full_path(),
                back_label=_("No, keep my request"),
            )
        try:
            services.request_cancel(request=hr, by=request.user)
        except TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your request is cancelled."))
        return redirect("requests:detail", public_id=hr.public_id)
    follow_up = hr.follow_ups.filter(respondent=me, answered_at__isnull=True).first()
    context = {
        "hr": hr,
        "role": role,
        "accepted": accepted,
        "icon": ICONS.get(hr.category, ""),
        "crisis": hr.triage_level == TriageLevel.CRISIS,
        "volunteer_contact": contact_of(accepted.volunteer) if accepted is not None else None,
        "requester_contact": contact_of(hr.requester, with_address=True) if role == "volunteer" else None,
        "help_lines": help_lines(hr.buurt, translation.get_language() or hr.buurt.default_language),
        "follow_up": follow_up,
        "can_cancel": role == "requester" and hr.is_live(),
        "reach": round_reach(hr) if role == "requester" and hr.is_matchable() else None,
        "sent": role == "requester" and request.GET.get("sent") == "1",
        "held": held_words(hr) if role == "requester" else [],
        "referral": referral_of(hr) if role == "requester" and hr.status == RequestStatus.REFERRED else None,
    }
    return render(request, "requests/detail.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        return _no_profile(request)
    requests_ = list(HelpRequest.objects.filter(requester=resident).order_by("-created_at")[:50])
    follow_ups = list(
        FollowUp.objects.filter(respondent=resident, answered_at__isnull=True).select_related("request")[:20]
    )
    open_proposals = MatchProposal.objects.filter(volunteer=resident, status=ProposalStatus.PROPOSED).count()
    return render(
        request,
        "requests/mine.html",
        {
            "help_requests": [(hr, ICONS.get(hr.category, "")) for hr in requests_],
            "follow_ups": follow_ups,
            "open_proposals": open_proposals,
        },
    )


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    resident = getattr(request.user, "resident", None)
    if resident is None:
        return _no_profile(request)
    rows = (
        MatchProposal.objects.filter(volunteer=resident)
        .select_related("request__requester__street")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "requests/proposals.html",
        {"proposals": [(p, ICONS.get(p.request.category, "")) for p in rows]},
    )


@login_required
def proposal(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One proposal for its volunteer: what, when, roughly where, why you; accept or decline. The address and phone
    appear only once this volunteer has accepted."""
    me = my_resident(request)
    p = (
        MatchProposal.objects.select_related("request__requester__street", "request__requester__user", "request__buurt")
        .filter(public_id=public_id, volunteer=me)
        .first()
    )
    if p is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.proposal_accept(proposal=p, by=request.user)
                messages.success(request, _("Thank you! Here is how to reach your neighbour."))
            elif action == "decline":
                services.proposal_decline(proposal=p, by=request.user)
                messages.success(request, _("No problem. Thank you for letting us know."))
        except TransitionError as exc:
            messages.info(request, str(exc))
        return redirect("requests:proposal", public_id=p.public_id)
    hr = p.request
    return render(
        request,
        "requests/proposal.html",
        {
            "p": p,
            "hr": hr,
            "icon": ICONS.get(hr.category, ""),
            "why": friendly_sentence(p.reasons),
            "reasons": describe_all(p.reasons, "volunteer"),
            "is_open": p.is_open() and hr.is_open(),
            "accepted": p.status == ProposalStatus.ACCEPTED,
            "requester": hr.requester,
            "contact": contact_of(hr.requester, with_address=True),
        },
    )


@login_required
def step_back(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A volunteer who said yes cannot come after all: a confirm page with an optional reason (DESIGN §12)."""
    me = my_resident(request)
    p = (
        MatchProposal.objects.select_related("request__requester__street", "request__buurt")
        .filter(public_id=public_id, volunteer=me)
        .first()
    )
    if p is None:
        raise Http404
    form = StepBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stepback.proposal_withdraw(proposal=p, by=request.user, reason=form.cleaned_data["reason"])
        except TransitionError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(
                request, _("Thank you for letting us know. We are looking for another neighbour and will tell them.")
            )
        return redirect("requests:proposal", public_id=p.public_id)
    return render(
        request,
        "requests/step_back.html",
        {
            "p": p,
            "hr": p.request,
            "form": form,
            "icon": ICONS.get(p.request.category, ""),
            "accepted": p.status == ProposalStatus.ACCEPTED,
        },
    )


@login_required
def follow_up(request: HttpRequest, public_id: UUID) -> HttpResponse:
    me = my_resident(request)
    fu = FollowUp.objects.select_related("request").filter(public_id=public_id, respondent=me).first()
    if fu is None:
        raise Http404
    form = FollowUpForm(request.POST or None)
    hand_over = "hand_over" in request.POST
    if request.method == "POST" and fu.answered_at is None:
        answer: dict[str, Any] | None = None
        if hand_over:
            # One tap: the coordinator takes over, whatever else was (or was not) filled in.
            happened = request.POST.get("happened", "")
            answer = {
                "happened": happened if happened in FollowUp.Happened.values else "",
                "rating": None,
                "comment": request.POST.get("comment", "")[:2000],
                "too_much": "too_much" in request.POST,
            }
        elif form.is_valid():
            answer = form.cleaned_data
        if answer is not None:
            try:
                followups.followup_answer(
                    follow_up=fu,
                    happened=answer["happened"],
                    rating=answer["rating"],
                    comment=answer["comment"],
                    too_much=answer["too_much"],
                    hand_to_coordinator=hand_over,
                )
            except TransitionError as exc:
                messages.info(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if hand_over:
                    messages.success(request, _("Thank you. The coordinator will take this over and contact you."))
                else:
                    messages.success(request, _("Thank you for telling us how it went."))
            return redirect("requests:follow_up", public_id=fu.public_id)
    fu.refresh_from_db()
    return render(
        request,
        "requests/follow_up.html",
        {"fu": fu, "hr": fu.request, "form": form, "icon": ICONS.get(fu.request.category, "")},
    )
