"""Privacy pages for a signed-in person (DESIGN §1.6, §11)."""

from __future__ import annotations

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from burenhulp.core.models import AuditLog, User, audit
from burenhulp.core.tenancy import coordinator_buurten
from burenhulp.privacy.erasure import account_erase
from burenhulp.privacy.export import data_export
from burenhulp.privacy.forms import DeleteAccountForm
from burenhulp.residents.models import Consent, Resident
from burenhulp.residents.services import consent_withdraw


def _resident(request: HttpRequest) -> Resident | None:
    return getattr(request.user, "resident", None)


def _may_delete_self(request: HttpRequest) -> bool:
    """Coordinators and staff are removed by a platform admin, so a neighbourhood is never left without one."""
    return not request.user.is_staff and not coordinator_buurten(request.user).exists()


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    resident = _resident(request)
    consents = resident.consents.filter(withdrawn_at__isnull=True).order_by("purpose") if resident else []
    viewed = AuditLog.objects.filter(subject_resident_id=resident.pk).count() if resident else 0
    return render(
        request,
        "privacy/mine.html",
        {"resident": resident, "consents": consents, "viewed": viewed, "may_delete": _may_delete_self(request)},
    )


@login_required
def download(request: HttpRequest) -> HttpResponse:
    resident = _resident(request)
    if resident is not None:
        audit(
            actor=request.user,
            action=AuditLog.Action.EXPORT,
            target=resident,
            reason="download my data",
        )
    body = json.dumps(data_export(cast(User, request.user)), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="burenhulp-my-data-{stamp}.json"'
    return response


@login_required
@require_POST
def withdraw_consent(request: HttpRequest, purpose: str) -> HttpResponse:
    resident = _resident(request)
    consent = (
        resident.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first() if resident is not None else None
    )
    if consent is None or resident is None:
        messages.error(request, _("This permission was already withdrawn."))
    else:
        # The residents area's one way to withdraw: the platform consent stops every use of the Burenbox, the digest
        # and photo consents switch off the digest and the shared photo.
        consent_withdraw(resident=resident, purpose=purpose)
        messages.success(
            request, _("You withdrew this permission: %(purpose)s") % {"purpose": Consent.Purpose(purpose).label}
        )
    return redirect("privacy:mine")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    if not _may_delete_self(request):
        messages.error(request, _("Coordinator accounts are removed by the platform administrator. Please ask them."))
        return redirect("privacy:mine")
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = cast(User, request.user)
        logout(request)
        account_erase(user=user)
        return redirect("privacy:deleted")
    return render(request, "privacy/delete.html", {"form": form, "resident": _resident(request)})


def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/deleted.html")
