"""The GDPR classification of every stored field, as data (DESIGN §1.6, §11).

Each field of our apps is `PUBLIC` (says nothing about a person: configuration, categories, statuses, counters,
technical ids), `PERSONAL` (about an identifiable person: names, contact details, addresses, dates of birth,
free text someone wrote, links to a person) or `SPECIAL` (may reveal health, money trouble, family or safety
problems: GDPR article 9 and the most sensitive free text, such as a help request's description).

`tests/trust/test_classification.py` fails on any field that is missing here, naming it. Adding a model field?
Add one line to its model's entry below. Adding a model? Add an entry, and give it a `subject` when its rows are
about one resident, so "download my data" includes them.

`subject` is a list of lookups from the model to a `residents.Resident` ('pk' on the Resident itself), or, with a
`user:` prefix, to the account (`core.User`); a row is about a person when any of them matches. `lookup|field`
counts only rows whose own `field` is empty. Name the person a row is about, never one it hangs off (issue #14 H1).
Models with personal data but no subject (for example the audit log) are handled separately and say
so in `note`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    PUBLIC = "public"
    PERSONAL = "personal"
    SPECIAL = "special"


PUBLIC, PERSONAL, SPECIAL = Level.PUBLIC, Level.PERSONAL, Level.SPECIAL

#: The apps whose every field must be classified.
CLASSIFIED_APPS = (
    "core",
    "residents",
    "helprequests",
    "coordination",
    "notifications",
    "matching",
    "toolbox_content",
    "privacy",
)


@dataclass(frozen=True)
class ModelClass:
    fields: dict[str, Level]
    subject: tuple[str, ...] = ()
    note: str = ""


# The resident's personal fields (the profile); the two that can reveal health are SPECIAL, in the registry below.
RESIDENT_PERSONAL = """
buurt user public_id first_name last_name birth_date house_description phone other_contact photo
favourites dream favourite_food email street street_typed house_number lat lon language languages
availability has_car max_active_matches max_matches_per_month paused_until emails_paused
weekly_digest shared_fields household_of created_via created_by consent_how contact_via approved
is_blocked created_at updated_at last_active_at deleted_at consent_withdrawn_at
"""
BRANDING_FIELDS = "id buurt municipality name logo colour contact_line privacy_statement accessibility_statement"
BRANDING_FIELDS += " updated_at"

REGISTRY: dict[str, ModelClass] = {
    # --- core ---------------------------------------------------------------------------------------------------
    "core.User": ModelClass(
        {
            "id": PUBLIC,
            "password": PERSONAL,
            "last_login": PERSONAL,
            "is_superuser": PUBLIC,
            "first_name": PERSONAL,
            "last_name": PERSONAL,
            "email": PERSONAL,
            "is_staff": PUBLIC,
            "is_active": PUBLIC,
            "date_joined": PERSONAL,
            "language": PUBLIC,
            "groups": PUBLIC,
            "user_permissions": PUBLIC,
        },
        subject=("user:pk",),
    ),
    "core.ApiToken": ModelClass(
        dict.fromkeys(("id", "prefix", "digest", "expires_at"), PUBLIC) | {"user": PERSONAL, "created_at": PERSONAL},
        note="Only a digest of the key is stored; the export leaves tokens out, and erasure deletes them.",
    ),
    "core.Neighbourhood": ModelClass(
        {
            "id": PUBLIC,
            "name": PUBLIC,
            "slug": PUBLIC,
            "municipality": PUBLIC,
            "postcodes": PUBLIC,
            "lat": PUBLIC,
            "lon": PUBLIC,
            "match_radius_m": PUBLIC,
            "default_language": PUBLIC,
            "proposals_per_round": PUBLIC,
            "round_hours": PUBLIC,
            "max_rounds": PUBLIC,
            "requires_approval": PUBLIC,
            "emergency_number": PUBLIC,
            # The local contact point's phone, email and address are an organisation's, published on purpose.
            "contact_phone": PUBLIC,
            "contact_email": PUBLIC,
            "contact_address": PUBLIC,
            "retention_days": PUBLIC,
            "triage_terms": PUBLIC,
            "coordinators": PERSONAL,
            "created_at": PUBLIC,
        },
        note="The coordinators' accounts: staff data, removed by the platform admin, not by 'delete my account'.",
    ),
    # A municipality's or neighbourhood's public face, published on purpose.
    "core.Branding": ModelClass(dict.fromkeys(BRANDING_FIELDS.split(), PUBLIC)),
    "core.HelpLine": ModelClass(
        dict.fromkeys(("id", "buurt", "language", "number", "label", "hours", "position"), PUBLIC)
    ),
    "core.Street": ModelClass(
        {"id": PUBLIC, "buurt": PUBLIC, "name": PUBLIC, "postcode": PUBLIC, "lat": PUBLIC, "lon": PUBLIC}
    ),
    "core.AuditLog": ModelClass(
        {
            "id": PUBLIC,
            "at": PERSONAL,
            "actor": PERSONAL,
            "buurt": PUBLIC,
            "action": PUBLIC,
            "target_type": PUBLIC,
            "target_id": PERSONAL,
            "subject_resident_id": PERSONAL,
            "reason": PERSONAL,
        },
        note="Append-only. 'Download my data' lists the rows whose subject_resident_id is the resident (who viewed "
        "their data); erasure keeps the rows, which then point at an emptied profile.",
    ),
    # --- residents ----------------------------------------------------------------------------------------------
    "residents.Resident": ModelClass(
        {
            "id": PUBLIC,
            **dict.fromkeys(RESIDENT_PERSONAL.split(), PERSONAL),
            # Notes like "hard of hearing, call her daughter" can reveal health.
            "contact_note": SPECIAL,
            "needs_follow_up": SPECIAL,
        },
        subject=("pk",),
    ),
    "residents.Housemate": ModelClass(
        {"id": PUBLIC, "resident": PERSONAL, "name": PERSONAL, "birthday": PERSONAL}, subject=("resident",)
    ),
    "residents.HelpEntry": ModelClass(
        {"id": PUBLIC, "resident": PERSONAL, "buurt": PUBLIC, "category": PERSONAL, "kind": PERSONAL},
        subject=("resident",),
    ),
    "residents.Consent": ModelClass(
        {
            "id": PUBLIC,
            "resident": PERSONAL,
            "purpose": PERSONAL,
            "text_version": PERSONAL,
            "how": PERSONAL,
            "recorded_by": PERSONAL,
            "given_at": PERSONAL,
            "withdrawn_at": PERSONAL,
        },
        subject=("resident",),
    ),
    "residents.ResidentBlock": ModelClass(
        {"id": PUBLIC, "blocker": PERSONAL, "blocked": PERSONAL, "created_at": PERSONAL},
        # Only the blocks a resident made: who blocked them is the other resident's data.
        subject=("blocker",),
    ),
    # --- help requests ------------------------------------------------------------------------------------------
    "helprequests.HelpRequest": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "requester": PERSONAL,
            "public_id": PERSONAL,
            "category": SPECIAL,
            "description": SPECIAL,
            "window_start": PERSONAL,
            "window_end": PERSONAL,
            "recurrence": PERSONAL,
            "urgent": SPECIAL,
            "sensitive_topic": SPECIAL,
            "status": PUBLIC,
            "triage_level": SPECIAL,
            "triage_reasons": SPECIAL,
            "triage_overridden_by": PERSONAL,
            "triage_overridden_at": PERSONAL,
            "created_via": PUBLIC,
            "came_in_by": PUBLIC,
            "created_by": PERSONAL,
            "created_at": PUBLIC,
            "updated_at": PUBLIC,
            "current_round": PUBLIC,
            "round_started_at": PUBLIC,
            "matched_at": PUBLIC,
            "closed_at": PUBLIC,
            "anonymised_at": PUBLIC,
        },
        subject=("requester",),
    ),
    "helprequests.MatchProposal": ModelClass(
        {
            "id": PUBLIC,
            "request": PERSONAL,
            "volunteer": PERSONAL,
            "public_id": PERSONAL,
            "score": PERSONAL,
            "distance_m": PERSONAL,
            "reasons": PERSONAL,
            "round": PUBLIC,
            "status": PERSONAL,
            "answered_by": PERSONAL,
            "created_at": PUBLIC,
            "sent_at": PUBLIC,
            "answered_at": PERSONAL,
            "stepped_back_at": PERSONAL,
            # Why a volunteer could not come after all: often about their health.
            "step_back_reason": SPECIAL,
        },
        subject=("volunteer",),
    ),
    "helprequests.FollowUp": ModelClass(
        {
            "id": PUBLIC,
            "request": PERSONAL,
            "respondent": PERSONAL,
            "role": PERSONAL,
            "public_id": PERSONAL,
            "happened": PERSONAL,
            "rating": PERSONAL,
            "comment": SPECIAL,
            "too_much": SPECIAL,
            "hand_to_coordinator": SPECIAL,
            "created_at": PUBLIC,
            "answered_at": PERSONAL,
        },
        subject=("respondent",),
    ),
    # --- coordination -------------------------------------------------------------------------------------------
    "coordination.QueueItem": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "kind": PUBLIC,
            "request": PERSONAL,
            "resident": PERSONAL,
            "follow_up": PERSONAL,
            "level": SPECIAL,
            "reasons": SPECIAL,
            "priority": PUBLIC,
            "urgent": SPECIAL,
            "summary": SPECIAL,
            "status": PUBLIC,
            "outcome": SPECIAL,
            "created_at": PUBLIC,
            "closed_at": PUBLIC,
            "closed_by": PERSONAL,
            "resident_cancelled_at": PERSONAL,
            "release_reason": SPECIAL,
        },
        # The item's resident is who it is about: the requester for triage and no-match items, the volunteer for
        # the volunteer's follow-up item. Never `request__requester`.
        subject=("resident",),
    ),
    "coordination.ProfessionalService": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "name": PUBLIC,
            "kind": PUBLIC,
            # A service's contact details are an organisation's, but a one-person practice is a person.
            "phone": PERSONAL,
            "email": PERSONAL,
            "website": PUBLIC,
            "address": PERSONAL,
            "what_for": PUBLIC,
            "notes": PERSONAL,
            "active": PUBLIC,
        },
        note="The referral directory: an organisation's published contact details, kept by coordinators.",
    ),
    "coordination.Referral": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "queue_item": PERSONAL,
            "request": PERSONAL,
            "resident": PERSONAL,
            "service": SPECIAL,
            "reason": SPECIAL,
            "consent": PERSONAL,
            "note": SPECIAL,
            "status": SPECIAL,
            "follow_up_on": PERSONAL,
            "created_by": PERSONAL,
            "created_at": PUBLIC,
            "updated_at": PUBLIC,
        },
        subject=("resident",),
    ),
    "coordination.ContactLog": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "resident": PERSONAL,
            "queue_item": PERSONAL,
            "kind": PERSONAL,
            "note": SPECIAL,
            "by": PERSONAL,
            "at": PERSONAL,
        },
        subject=("resident", "queue_item__resident|resident"),
    ),
    "coordination.ReferralCard": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "public_id": PERSONAL,
            "professional_name": PERSONAL,
            "organisation": PERSONAL,
            "professional_contact": PERSONAL,
            "resident_name": PERSONAL,
            "resident_contact": PERSONAL,
            "what": SPECIAL,
            "consent": PERSONAL,
            "queue_item": PERSONAL,
            "created_at": PUBLIC,
        },
        subject=("queue_item__resident",),
    ),
    # --- notifications ------------------------------------------------------------------------------------------
    "notifications.Notification": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "recipient_user": PERSONAL,
            "recipient_resident": PERSONAL,
            "to_email": PERSONAL,
            "language": PERSONAL,
            "channel": PUBLIC,
            "template": PERSONAL,
            "context": PERSONAL,
            "idempotency_key": PERSONAL,
            "status": PUBLIC,
            "attempts": PUBLIC,
            "last_error": PERSONAL,
            "created_at": PUBLIC,
            "claimed_at": PUBLIC,
            "next_attempt_at": PUBLIC,
            "sent_at": PUBLIC,
            "claimed_by": PUBLIC,
        },
        subject=("recipient_resident", "user:recipient_user"),
    ),
    "notifications.CallTask": ModelClass(
        {
            **dict.fromkeys(("id", "buurt", "created_at", "attempts", "last_attempt_at", "done_at"), PUBLIC),
            **dict.fromkeys(("notification", "resident", "template", "why", "request", "proposal"), PERSONAL),
            **dict.fromkeys(("follow_up", "done_by", "outcome"), PERSONAL),
            "say": SPECIAL,
        },
        subject=("resident",),
    ),
    # --- guidance -----------------------------------------------------------------------------------------------
    "toolbox_content.LocalNote": ModelClass(
        {
            "id": PUBLIC,
            "buurt": PUBLIC,
            "title": PUBLIC,
            # Published to the neighbourhood's residents by a coordinator (local contacts, a meeting place).
            "body": PUBLIC,
            "language": PUBLIC,
            "audience": PUBLIC,
            "order": PUBLIC,
            "created_by": PERSONAL,
            "created_at": PUBLIC,
            "updated_at": PUBLIC,
        },
        note="A coordinator's published note; only its author is personal (staff data).",
    ),
    "notifications.EmailLinkUse": ModelClass(
        # "<action>:<object id>": which emailed link was used, not who used it.
        {"id": PUBLIC, "key": PUBLIC, "action": PUBLIC, "used_at": PUBLIC}
    ),
}
