"""Referral cards: the public doorverwijskaartje of each neighbourhood, and the coordinator's list of them."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from burenhulp.coordination import services
from burenhulp.coordination.forms import (
    ReferralCardForm,
)
from burenhulp.coordination.models import (
    ReferralCard,
)
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import Neighbourhood, audit_list
from burenhulp.core.proxies import client_ip

PAGE_SIZE = 50


# --- Referral cards -----------------------------------------------------------------------------------------------

CARD_LIMIT_PER_HOUR = 5


def referral_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The public doorverwijskaartje of one neighbourhood: no login, rate-limited, consent required."""
    buurt = get_object_or_404(Neighbourhood, slug=slug)
    form = ReferralCardForm(request.POST or None)
    if request.method == "POST":
        key = f"referral-card:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
            count = 1
        if count > CARD_LIMIT_PER_HOUR:
            form.is_valid()
            return render(
                request,
                "coordinator/referral_card.html",
                {"buurt": buurt, "form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            if form.cleaned_data.get("website"):
                # A robot filled in the hidden field: thank it and keep nothing.
                return redirect("referral_card_thanks", slug=buurt.slug)
            services.referral_card_submit(buurt=buurt, data=form.cleaned_data)
            return redirect("referral_card_thanks", slug=buurt.slug)
    return render(request, "coordinator/referral_card.html", {"buurt": buurt, "form": form})


def referral_card_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    buurt = get_object_or_404(Neighbourhood, slug=slug)
    return render(request, "coordinator/referral_card_thanks.html", {"buurt": buurt})


@coordinator_required
def cards(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    page = Paginator(
        ReferralCard.objects.in_buurt(buurt).select_related("queue_item").order_by("-created_at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    audit_list(
        actor=request.user,
        targets=page.object_list,
        reason="referral card list",
        buurt=buurt,
        subject_of=lambda card: card.queue_item.resident_id if card.queue_item else None,
    )
    public_url = request.build_absolute_uri(reverse("referral_card", args=[buurt.slug]))
    return render_page(request, "coordinator/cards.html", "cards", {"page": page, "public_url": public_url})
