"""The call list (belronde, DESIGN §12): messages that could not be emailed, oldest first, with the phone number,
what to tell the person and buttons to record their answer (`burenhulp.coordination.calls.call_record`)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from burenhulp.coordination.calls import call_record
from burenhulp.coordination.presenting import waited_text
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import AuditLog, audit
from burenhulp.helprequests.models import FollowUp, TransitionError
from burenhulp.notifications.models import CallOutcome, CallTask

# A page of calls is a morning's work; a short page renders fast whatever the list's length.
PAGE_SIZE = 25
#: A call not made within a day shows a warning, like a queue item that waited too long.
AGE_WARNING = timedelta(days=1)

TEMPLATE_LABELS = {
    "proposal": gettext_lazy("Asked to help"),
    "accepted_volunteer": gettext_lazy("Tell the helper the address"),
    "accepted_requester": gettext_lazy("Tell who will come"),
    "taken": gettext_lazy("No longer needed"),
    "round_escalated": gettext_lazy("Still looking"),
    "no_match": gettext_lazy("No neighbour found yet"),
    "reminder": gettext_lazy("Reminder"),
    "follow_up": gettext_lazy("How did it go?"),
}


@coordinator_required
def call_list(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    if request.method == "POST":
        _record(request)
        page_no = request.POST.get("page", "")
        return redirect(reverse("coordinator:call_list") + (f"?page={page_no}" if page_no.isdigit() else ""))
    # The page's ids from the covering index alone (a deep page skips index entries, not joined rows), then those
    # rows with their resident and proposal.
    ids = CallTask.objects.in_buurt(buurt).open().order_by("created_at", "pk").values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    found = CallTask.objects.select_related("resident", "proposal").in_bulk(list(page.object_list))
    tasks = [found[pk] for pk in page.object_list if pk in found]
    now = timezone.now()
    rows = [
        {
            "task": t,
            "label": TEMPLATE_LABELS.get(t.template, t.template),
            "waited": waited_text(now - t.created_at),
            "too_old": now - t.created_at > AGE_WARNING,
        }
        for t in tasks
    ]
    if rows:
        audit(
            actor=request.user,
            action=AuditLog.Action.VIEW,
            target=buurt,
            reason=f"call list ({len(rows)} calls)",
        )
    return render_page(
        request,
        "coordinator/call_list.html",
        "call_list",
        {"rows": rows, "page": page, "happened_choices": FollowUp.Happened.choices},
    )


def _record(request: CoordinatorRequest) -> None:
    raw = request.POST.get("task", "")
    task = CallTask.objects.in_buurt(request.buurt).filter(pk=int(raw)).first() if raw.isdigit() else None
    if task is None:
        messages.error(request, _("This call is not on the list (any more)."))
        return
    outcome = request.POST.get("outcome", "")
    try:
        call_record(
            task=task,
            outcome=outcome,
            by=request.user,
            happened=request.POST.get("happened", ""),
            hand_to_coordinator=request.POST.get("hand_to_coordinator") == "on",
        )
    except TransitionError as exc:
        messages.error(request, f"{task.resident.first_name}: {exc}")
        return
    except ValidationError as exc:
        messages.error(request, f"{task.resident.first_name}: " + " ".join(exc.messages))
        return
    if outcome == CallOutcome.NOT_REACHED:
        messages.success(
            request,
            _("Written down: %(name)s was not reached. The call stays on the list.")
            % {"name": task.resident.first_name},
        )
    else:
        messages.success(request, _("Written down for %(name)s.") % {"name": task.resident.first_name})
