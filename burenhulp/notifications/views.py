"""One-click unsubscribe (RFC 8058): a GET shows a confirm page, a POST pauses the emails."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Resident

UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600


@csrf_exempt  # Mail clients post the one-click unsubscribe without a session; the signed token is the credential.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = signing.loads(token, salt="burenhulp.unsubscribe", max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        # Says nothing about who exists.
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method != "POST":
        return render(request, "notifications/unsubscribe_confirm.html", {"token": token})
    notification = Notification.objects.filter(pk=payload.get("n")).select_related("recipient_resident").first()
    resident: Resident | None = notification.recipient_resident if notification else None
    if resident is not None:
        Resident.objects.filter(pk=resident.pk).update(emails_paused=True)
    return render(request, "notifications/unsubscribe_done.html")
