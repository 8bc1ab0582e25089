"""Call tasks (belronde, DESIGN §12): a message a resident had to hear but that could not be emailed (no address,
emails paused, a bounce or a send failure) becomes a task on the coordinator's call list, with what to tell them.

`call_task_open` is called where the outbox skips a message and where the sender gives up on one; the coordinator
records the answer through `burenhulp.coordination.calls`.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal
from burenhulp.notifications import contexts
from burenhulp.notifications.models import CALL_TEMPLATES, CallOutcome, CallTask, Notification
from burenhulp.residents.models import Resident
from burenhulp.residents.selectors import contact_of

log = logging.getLogger(__name__)

SAY_MAX = 600


def call_task_open(*, notification: Notification, why: str = "") -> CallTask | None:
    """Put one unreachable message on the call list, at most once. Nothing for messages that are not for a resident
    or not worth a call (digests). Never raises: a message that cannot be described still gets its task."""
    if notification.template not in CALL_TEMPLATES or notification.recipient_resident_id is None:
        return None
    existing = CallTask.objects.filter(notification=notification).first()
    if existing is not None:
        return existing
    resident = Resident.objects.select_related("buurt").get(pk=notification.recipient_resident_id)
    proposal, request, follow_up = _objects(notification)
    try:
        with translation.override(resident.language):
            say = say_text(notification.template, proposal=proposal, request=request, follow_up=follow_up)
    except Exception:  # A broken row still reaches the list, with a plain text.
        log.warning("Could not describe call task for notification %s", notification.pk, exc_info=True)
        say = ""
    task = CallTask(
        buurt_id=notification.buurt_id or resident.buurt_id,
        notification=notification,
        resident=resident,
        template=notification.template,
        say=say[:SAY_MAX],
        why=(why or notification.last_error)[:200],
        request=request,
        proposal=proposal,
        follow_up=follow_up,
    )
    if notification.template == "taken" and proposal is not None:
        # Never reached about the question, so no need to tell them it is gone: both are settled at once.
        earlier = CallTask.objects.open().filter(proposal=proposal, template="proposal", attempts=0)
        if earlier.update(done_at=timezone.now(), outcome=CallOutcome.NOT_NEEDED):
            task.done_at, task.outcome = timezone.now(), CallOutcome.NOT_NEEDED
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:  # Two workers at once: the other one made it.
        return CallTask.objects.filter(notification=notification).first()
    return task


def _objects(notification: Notification) -> tuple[MatchProposal | None, HelpRequest | None, FollowUp | None]:
    ctx = notification.context or {}
    proposal = request = follow_up = None
    if isinstance(ctx.get("proposal_id"), int):
        proposal = (
            MatchProposal.objects.select_related("request__requester__street", "request__buurt", "volunteer")
            .filter(pk=ctx["proposal_id"])
            .first()
        )
        request = proposal.request if proposal else None
    if isinstance(ctx.get("follow_up_id"), int):
        follow_up = (
            FollowUp.objects.select_related("request__requester__street", "request__buurt")
            .filter(pk=ctx["follow_up_id"])
            .first()
        )
        request = follow_up.request if follow_up else request
    if request is None and isinstance(ctx.get("request_id"), int):
        request = HelpRequest.objects.select_related("requester__street", "buurt").filter(pk=ctx["request_id"]).first()
    return proposal, request, follow_up


def say_text(
    template: str,
    *,
    proposal: MatchProposal | None = None,
    request: HelpRequest | None = None,
    follow_up: FollowUp | None = None,
) -> str:
    """What to tell the person on the phone, short, in the active language, from the facts the email would show."""
    if request is None:
        return _("A message from the neighbourhood help could not be emailed.")
    facts = contexts.request_summary(request)
    what = {"what": facts["category_label"], "when": facts["when"], "street": facts["street"] or "-"}
    requester = request.requester
    if template == "proposal":
        return (
            _("A neighbour in %(street)s asks for help: %(what)s, %(when)s. Can you help? Write down yes or no.") % what
        )
    if template == "accepted_volunteer":
        other = contact_of(requester, with_address=True)
        return _(
            "Thank you for helping: %(what)s, %(when)s. Go to %(name)s, %(street)s %(number)s. Phone: %(phone)s."
        ) % {
            **what,
            "name": other.first_name,
            "street": other.street or "-",
            "number": other.house_number,
            "phone": other.phone or "-",
        }
    if template == "accepted_requester" and proposal is not None:
        other = contact_of(proposal.volunteer)
        return _("Good news: %(name)s will help you with %(what)s, %(when)s. Phone: %(phone)s.") % {
            **what,
            "name": other.first_name,
            "phone": other.phone or "-",
        }
    if template == "taken":
        return _("Another neighbour already said yes to %(what)s (%(when)s). Thank you; nothing more to do.") % what
    if template == "round_escalated":
        return _("We are still looking for a neighbour for %(what)s. We ask a few more people.") % what
    if template == "no_match":
        return _("We found no neighbour for %(what)s yet. The coordinator looks further and will call back.") % what
    if template == "reminder":
        return _("A reminder: %(what)s, %(when)s.") % what
    if template == "follow_up":
        return _("How did it go (%(what)s, %(when)s)? Did it happen? Write down the answer.") % what
    return _("A message about %(what)s could not be emailed.") % what
