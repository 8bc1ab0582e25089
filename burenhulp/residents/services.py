"""Workflows of the Burenbox, shared by the pages, the coordinator intake and the API.

Views and serializers validate input; these functions apply it. Each is keyword-only and named `<entity>_<verb>`.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from burenhulp.core.categories import Category
from burenhulp.core.emails import normalize_email
from burenhulp.core.models import AuditLog, Neighbourhood, Street, User, acting_account, audit
from burenhulp.residents.models import (
    CONSENT_TEXT_VERSION,
    MAX_HOUSEMATES,
    Consent,
    ConsentHow,
    CreatedVia,
    HelpEntry,
    HelpKind,
    Housemate,
    Resident,
)
from burenhulp.residents.validation import availability_normalise


def street_for(buurt: Neighbourhood, name: str) -> Street | None:
    """The neighbourhood's street of that name (any case, spaces folded), or None: a street that is not on the list
    is never added to it here (see `resident_street_set`)."""
    name = " ".join(name.split())
    if not name:
        return None
    return Street.objects.filter(buurt=buurt, name__iexact=name).first()


def resident_street_set(resident: Resident, street: Street | str | None) -> None:
    """Set the resident's street (not saved). A name on the neighbourhood's list links that street; an unknown name
    stays with this resident as typed until a coordinator confirms it. The resident's place for matching is the
    street's coordinates (or none, so matching uses the neighbourhood's centre)."""
    typed = ""
    if isinstance(street, str):
        typed = " ".join(street.split())[:120]
        street = street_for(resident.buurt, typed)
    before = (resident.street_id, resident.street_typed)
    resident.street = street
    resident.street_typed = "" if street is not None else typed
    if (resident.street_id, resident.street_typed) == before and resident.lat is not None:
        return  # Same address saved again: a place set before (exactly, through the API) stays.
    if street is not None and street.lat is not None and street.lon is not None:
        resident.lat, resident.lon = street.lat, street.lon
    else:
        resident.lat = resident.lon = None


def streets_confirm(*, buurt: Neighbourhood, typed: str, street: Street | None, by: Any, **new: Any) -> int:
    """A coordinator confirms a typed street: either it is one already on the list (`street`), or it becomes a new
    street of the neighbourhood (`new`: name, postcode, lat, lon). Every resident of the neighbourhood who typed that
    name (any case) is linked to it; returns how many."""
    with transaction.atomic():
        if street is None:
            name = " ".join(str(new.get("name") or typed).split())[:120]
            street = Street.objects.filter(buurt=buurt, name__iexact=name).first()
            if street is None:
                street = Street.objects.create(
                    buurt=buurt,
                    name=name,
                    postcode=new.get("postcode") or "",
                    lat=new.get("lat"),
                    lon=new.get("lon"),
                )
        elif street.buurt_id != buurt.pk:
            raise ValidationError(_("Choose a street from this neighbourhood's list."))
        residents = list(
            Resident.objects.in_buurt(buurt).filter(street__isnull=True, street_typed__iexact=" ".join(typed.split()))
        )
        for resident in residents:
            resident_street_set(resident, street)
            resident.save(update_fields=["street", "street_typed", "lat", "lon", "updated_at"])
        audit(actor=by, action=AuditLog.Action.CHANGE, target=buurt, reason=f"street confirmed ({len(residents)})")
    return len(residents)


def account_for_email(email: str) -> User | None:
    """An account for a resident entered by a coordinator: no password, a verified address, so the resident can
    sign in later with a login code sent to it. `email` is in its stored form (`normalize_email`).

    When the address already belongs to an account, no account is made and None is returned: the card keeps the
    address to reach the resident, and the coordinator is told nothing different (issue #14 L5: intake never says
    whether an address has an account anywhere)."""
    if User.objects.filter(email=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists():
        return None
    user = User.objects.create_user(email=email, password=None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


# --- Consent ---------------------------------------------------------------------------------------------------


def consent_give(*, resident: Resident, purpose: str, how: str = ConsentHow.ONLINE, by: Any = None) -> Consent:
    """Record a consent (once: a live consent for the same purpose is kept as it is)."""
    live = resident.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if live is not None:
        return live
    consent = Consent.objects.create(
        resident=resident,
        purpose=purpose,
        text_version=CONSENT_TEXT_VERSION,
        how=how,
        recorded_by=acting_account(by),
    )
    if purpose == Consent.Purpose.PLATFORM and resident.consent_withdrawn_at is not None:
        resident.consent_withdrawn_at = None
        resident.save(update_fields=["consent_withdrawn_at", "updated_at"])
    return consent


def consent_withdraw(*, resident: Resident, purpose: str) -> None:
    """Withdraw a consent. Withdrawing the platform consent stops every use: no matching, no card for neighbours."""
    now = timezone.now()
    resident.consents.filter(purpose=purpose, withdrawn_at__isnull=True).update(withdrawn_at=now)
    if purpose == Consent.Purpose.PLATFORM and resident.consent_withdrawn_at is None:
        resident.consent_withdrawn_at = now
        resident.save(update_fields=["consent_withdrawn_at", "updated_at"])
    # The weekly digest and the photo have their own settings; withdrawing their consent switches them off too.
    elif purpose == Consent.Purpose.DIGEST and resident.weekly_digest:
        resident.weekly_digest = False
        resident.save(update_fields=["weekly_digest", "updated_at"])
    elif purpose == Consent.Purpose.PHOTO and "photo" in (resident.shared_fields or []):
        resident.shared_fields = [f for f in resident.shared_fields if f != "photo"]
        resident.save(update_fields=["shared_fields", "updated_at"])


def consent_set(*, resident: Resident, purpose: str, given: bool, how: str = ConsentHow.ONLINE, by: Any = None) -> None:
    if given:
        consent_give(resident=resident, purpose=purpose, how=how, by=by)
    else:
        consent_withdraw(resident=resident, purpose=purpose)


# --- The card --------------------------------------------------------------------------------------------------

SIMPLE_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "house_description",
    "phone",
    "other_contact",
    "favourites",
    "dream",
    "favourite_food",
    "house_number",
    "lat",
    "lon",
    "language",
    "languages",
    "has_car",
    "max_active_matches",
    "max_matches_per_month",
    "paused_until",
    "emails_paused",
    "weekly_digest",
    "shared_fields",
    "household_of",
    "consent_how",
    "contact_via",
    "contact_note",
    "email",
)


def help_set(*, resident: Resident, kind: str, categories: list[str] | set[str]) -> None:
    """Make the ticked boxes of one column of the help table exactly `categories`."""
    wanted = {c for c in categories if c in Category.values}
    current = set(resident.help_entries.filter(kind=kind).values_list("category", flat=True))
    resident.help_entries.filter(kind=kind, category__in=current - wanted).delete()
    HelpEntry.objects.bulk_create(
        [
            HelpEntry(resident=resident, buurt_id=resident.buurt_id, category=c, kind=kind)
            for c in sorted(wanted - current)
        ]
    )


def housemates_set(*, resident: Resident, housemates: list[dict[str, Any]]) -> None:
    """Replace the card's housemates with the rows that have a name."""
    resident.housemates.all().delete()
    Housemate.objects.bulk_create(
        [
            Housemate(resident=resident, name=h["name"].strip(), birthday=h.get("birthday"))
            for h in housemates[:MAX_HOUSEMATES]
            if (h.get("name") or "").strip()
        ]
    )


@transaction.atomic
def resident_update(*, resident: Resident, data: dict[str, Any], by: Any = None) -> Resident:
    """Apply validated card data. Only the keys present in `data` change, so a half-filled card can be saved."""
    changed: set[str] = set()
    for name in SIMPLE_FIELDS:
        if name in data:
            value = data[name]
            if name == "household_of" and value is not None and value.household_of_id:
                value = value.household_of  # Always point at the household's first resident.
            if isinstance(value, str) and name != "email":
                value = value.strip()
            setattr(resident, name, value)
            changed.add(name)
    if "availability" in data:
        resident.availability = availability_normalise(data["availability"])
        changed.add("availability")
    if "street" in data:
        resident_street_set(resident, data["street"])
        changed.update({"street", "street_typed"})
        if "lat" in data or "lon" in data:  # Exact coordinates given with the address win over the street's.
            resident.lat, resident.lon = data.get("lat", resident.lat), data.get("lon", resident.lon)
        changed.update({"lat", "lon"})
    old_photo = resident.photo.name if resident.photo else ""
    if "photo" in data and data["photo"] is not None:
        photo = data["photo"]
        if photo is False:
            resident.photo = None
        else:
            assert isinstance(photo, ContentFile)
            resident.photo.save("photo.jpg", photo, save=False)
        changed.add("photo")
    if resident.pk is None:
        resident.save()
    elif changed:
        resident.save(update_fields=[*changed, "updated_at"])
    if "photo" in changed and old_photo and old_photo != (resident.photo.name if resident.photo else ""):
        resident.photo.storage.delete(old_photo)
    if "offers" in data:
        help_set(resident=resident, kind=HelpKind.OFFER, categories=data["offers"])
    if "wants" in data:
        help_set(resident=resident, kind=HelpKind.WANT, categories=data["wants"])
    if "housemates" in data:
        housemates_set(resident=resident, housemates=data["housemates"])
    if "share_card" in data:
        consent_set(
            resident=resident,
            purpose=Consent.Purpose.SHARE_PROFILE,
            given=bool(data["share_card"]),
            how=resident.consent_how,
            by=by,
        )
    if "shared_fields" in data:
        consent_set(
            resident=resident,
            purpose=Consent.Purpose.PHOTO,
            given="photo" in resident.shared_fields,
            how=resident.consent_how,
            by=by,
        )
    if "weekly_digest" in data:
        consent_set(
            resident=resident, purpose=Consent.Purpose.DIGEST, given=resident.weekly_digest, how=resident.consent_how
        )
    return resident


@transaction.atomic
def resident_join(*, user: User, buurt: Neighbourhood, first_name: str) -> Resident:
    """A person who signed up online starts their Burenbox in a neighbourhood, agreeing to the platform's use."""
    resident = Resident.objects.create(
        buurt=buurt,
        user=user,
        first_name=first_name.strip(),
        email=user.email,
        language=user.language,
        created_via=CreatedVia.SELF,
        created_by=user,
        consent_how=ConsentHow.ONLINE,
        contact_via="email",
        approved=not buurt.requires_approval,
    )
    consent_give(resident=resident, purpose=Consent.Purpose.PLATFORM, how=ConsentHow.ONLINE, by=user)
    return resident


@transaction.atomic
def resident_create_on_behalf(*, buurt: Neighbourhood, data: dict[str, Any], by: User) -> Resident:
    """A coordinator enters a resident's Burenbox (phone, visit, paper card). With an email address the resident gets
    an account without a password (login by code); without one, no account at all. Coordinator intake counts as
    approved. Raises ValidationError when email does not allow the address (never because it is in use)."""
    email = normalize_email(data["email"]) if data.get("email") else ""
    user = account_for_email(email) if email else None
    how = data.get("consent_how") or ConsentHow.VERBAL
    resident = Resident(
        buurt=buurt,
        user=user,
        created_via=CreatedVia.COORDINATOR,
        created_by=by,
        consent_how=how,
        approved=True,
    )
    if user is not None:
        resident.language = user.language
    resident_update(resident=resident, data={**data, "email": email}, by=by)
    consent_give(resident=resident, purpose=Consent.Purpose.PLATFORM, how=how, by=by)
    return resident


def resident_email_set(*, resident: Resident, email: str) -> None:
    """A coordinator adds or changes the email address of a resident without an account. With an address the
    resident gets an account (login by code). The address of a resident who has an account is theirs to change."""
    email = normalize_email(email) if email.strip() else ""
    if resident.user_id or email == resident.email:
        return
    if email:
        resident.user = account_for_email(email)
    resident.email = email
    resident.save(update_fields=["user", "email", "updated_at"])
