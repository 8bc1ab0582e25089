"""Reads about residents shared by the pages, the API and the emails: how to reach someone (the one contact
builder), the card neighbours see, and who may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.conf.locale import LANG_INFO
from django.db.models import Count, Min
from django.db.models.functions import Lower
from django.urls import reverse

from burenhulp.core.categories import ICONS, Category
from burenhulp.core.models import Neighbourhood
from burenhulp.residents.models import SHAREABLE_FIELDS, HelpKind, Resident
from burenhulp.residents.validation import LANGUAGE_NAMES


@dataclass(frozen=True)
class Contact:
    """How to reach a resident, for the one person allowed to: the volunteer who accepted (with the address), or
    the requester (without). Emails, pages and the API all build it here."""

    id: int
    first_name: str
    phone: str = ""
    email: str = ""
    other: str = ""
    street: str = ""
    house_number: str = ""
    house_description: str = ""


def mail_address_of(resident: Resident) -> str:
    """Where to email a resident (issue #14 M6): with an account, the account's primary verified address (it follows
    an email change); without one, the address on the card. An account without a verified address gets no mail."""
    if resident.user_id is None:
        return resident.email
    primary = (
        EmailAddress.objects.filter(user_id=resident.user_id, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return primary or ""


def contact_of(resident: Resident, *, with_address: bool = False) -> Contact:
    """The resident's contact details; the street, house number and how to find the house only `with_address`."""
    email = mail_address_of(resident)
    return Contact(
        id=resident.pk,
        first_name=resident.first_name,
        phone=resident.phone,
        email=email,
        other=resident.other_contact,
        street=(resident.street.name if resident.street_id and resident.street else resident.street_typed)
        if with_address
        else "",
        house_number=resident.house_number if with_address else "",
        house_description=resident.house_description if with_address else "",
    )


def language_name(code: str) -> str:
    """A language named in itself ("Français"), for the card and the profile."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    info = LANG_INFO.get(code)
    return str(info.get("name_local", code)) if isinstance(info, dict) else code


def live_consents(resident: Resident) -> set[str]:
    return set(resident.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True))


@dataclass
class CategoryRow:
    slug: str
    label: str
    icon: str


@dataclass
class NeighbourCard:
    """A resident's card as a neighbour sees it: only the first name and the fields the resident shared.

    The house number, phone, email and coordinates are never part of it."""

    first_name: str
    last_name: str = ""
    photo_url: str = ""
    birthday: date | None = None
    housemates: list[str] = field(default_factory=list)
    house_description: str = ""
    favourites: str = ""
    dream: str = ""
    favourite_food: str = ""
    languages: list[str] = field(default_factory=list)
    street: str = ""
    offers: list[CategoryRow] = field(default_factory=list)
    wants: list[CategoryRow] = field(default_factory=list)
    is_paused: bool = False


def category_rows(slugs: set[str]) -> list[CategoryRow]:
    return [CategoryRow(c.value, str(c.label), ICONS.get(c.value, "")) for c in Category if c.value in slugs]


def neighbour_card(resident: Resident) -> NeighbourCard:
    """Build the shared card. Uses prefetched help_entries and housemates when present."""
    shared = set(resident.shared_fields or []) & set(SHAREABLE_FIELDS)
    card = NeighbourCard(first_name=resident.first_name, is_paused=resident.is_paused())
    if "last_name" in shared:
        card.last_name = resident.last_name
    if "photo" in shared and resident.photo:
        card.photo_url = reverse("residents:photo", args=[resident.public_id])
    if "birthday" in shared:
        card.birthday = resident.birth_date
    if "housemates" in shared:
        card.housemates = [h.name for h in resident.housemates.all()]
    for name in ("house_description", "favourites", "dream", "favourite_food"):
        if name in shared:
            setattr(card, name, getattr(resident, name))
    if "languages" in shared:
        card.languages = [language_name(c) for c in resident.languages or []]
    if "street" in shared and resident.street_id:
        card.street = resident.street.name if resident.street else ""
    entries = list(resident.help_entries.all())
    if "offers" in shared:
        card.offers = category_rows({e.category for e in entries if e.kind == HelpKind.OFFER})
    if "wants" in shared:
        card.wants = category_rows({e.category for e in entries if e.kind == HelpKind.WANT})
    return card


def awaiting_approval(resident: Resident) -> bool:
    """A newcomer not approved yet, where the neighbourhood checks new profiles first (issue #14 L6)."""
    return bool(resident.buurt.requires_approval and not resident.approved)


def neighbours_of(resident: Resident) -> Any:
    """The cards a resident may see: residents of the same neighbourhood who chose to share, not themselves. A
    newcomer awaiting approval sees none."""
    if awaiting_approval(resident):
        return Resident.objects.none()
    qs = (
        Resident.objects.for_resident(resident)
        .shared_with_neighbours()
        .exclude(pk=resident.pk)
        .select_related("street")
        .prefetch_related("help_entries", "housemates")
        .distinct()
        .order_by("first_name", "pk")
    )
    if resident.buurt.requires_approval:
        qs = qs.filter(approved=True)
    return qs


def streets_to_confirm(buurt: Neighbourhood) -> list[dict[str, Any]]:
    """Street names residents typed that are not on the neighbourhood's list, with how many residents typed each
    (any case): the coordinator's small confirm list. Names only, never who typed them."""
    rows = (
        Resident.objects.in_buurt(buurt)
        .filter(street__isnull=True, deleted_at__isnull=True)
        .exclude(street_typed="")
        .annotate(key=Lower("street_typed"))
        .values("key")
        .annotate(n=Count("id"), name=Min("street_typed"))
        .order_by("key")
    )
    return [{"name": r["name"], "n": r["n"]} for r in rows[:200]]
