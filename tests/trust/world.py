"""Two neighbourhoods full of records: 'ours' (the cast's buurt) and 'theirs' (other_buurt), whose every text holds
a sentinel, so any answer that shows another neighbourhood's data is caught by a plain substring search."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from PIL import Image

from burenhulp.coordination.models import (
    ContactLog,
    ProfessionalService,
    QueueItem,
    Referral,
    ReferralCard,
)
from burenhulp.core.models import Neighbourhood, User
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.notifications.models import CallTask, Notification
from burenhulp.residents.models import Consent, Housemate, Resident
from tests.factories import ResidentFactory, UserFactory

THEIRS = "zqxtheirs"


def t(name: str) -> str:
    """A sentinel of the other neighbourhood."""
    return f"{THEIRS}-{name}"


@dataclass
class Records:
    """One of each kind of record of one neighbourhood."""

    buurt: Neighbourhood
    resident: Resident
    volunteer: Resident
    request: HelpRequest
    proposal: MatchProposal
    follow_up: FollowUp
    queue_item: QueueItem
    service: ProfessionalService
    referral: Referral
    local_note: Any
    call_task: CallTask


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


def build(
    buurt: Neighbourhood, *, tag: str, requester: Resident | None = None, volunteer: Resident | None = None
) -> Records:
    """Records of one neighbourhood; texts carry `tag` (a sentinel for the other neighbourhood)."""
    from toolbox_content.models import LocalNote

    def s(name: str) -> str:
        return f"{tag}-{name}"

    if requester is None:
        user = UserFactory(email=f"{tag}-requester@example.org")
        requester = ResidentFactory(
            buurt=buurt,
            user=user,
            email=user.email,
            first_name=s("first"),
            last_name=s("last"),
            phone=s("phone")[:30],
            house_description=s("house"),
            wants=["boodschappen"],
            shared_fields=["offers", "wants", "languages", "last_name", "photo", "house_description"],
        )
        Consent.objects.create(resident=requester, purpose="platform", text_version="1")
        Consent.objects.create(resident=requester, purpose="share_profile", text_version="1")
        Housemate.objects.create(resident=requester, name=s("housemate"), birthday=date(1950, 1, 1))
        requester.photo.save("x.jpg", ContentFile(_jpeg()), save=True)
    if volunteer is None:
        user = UserFactory(email=f"{tag}-volunteer@example.org")
        volunteer = ResidentFactory(
            buurt=buurt,
            user=user,
            email=user.email,
            first_name=s("vfirst"),
            offers=["boodschappen", "hond"],
            shared_fields=["offers", "wants", "languages", "last_name"],
        )
        Consent.objects.create(resident=volunteer, purpose="platform", text_version="1")
        Consent.objects.create(resident=volunteer, purpose="share_profile", text_version="1")
    request = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="boodschappen",
        description=s("description"),
        status=RequestStatus.PROPOSED,
        current_round=1,
    )
    proposal = MatchProposal.objects.create(
        request=request, volunteer=volunteer, score=0.9, status=ProposalStatus.PROPOSED, reasons=[]
    )
    follow_up = FollowUp.objects.create(request=request, respondent=requester, role="requester", comment=s("fu"))
    heavy = HelpRequest.objects.create(
        buurt=buurt,
        requester=requester,
        category="documenten",
        description=s("heavy"),
        status=RequestStatus.QUEUED,
        triage_level="heavy",
        triage_reasons=["debt"],
    )
    queue_item = QueueItem.objects.create(
        buurt=buurt, kind="triage", request=heavy, resident=requester, level="heavy", summary=s("summary")
    )
    service = ProfessionalService.objects.create(
        buurt=buurt, name=s("service"), kind="ocmw", phone="09 000 00 00", notes=s("service-notes")
    )
    referral = Referral.objects.create(
        buurt=buurt,
        queue_item=queue_item,
        request=heavy,
        resident=requester,
        service=service,
        note=s("refnote"),
        consent=True,
    )
    ContactLog.objects.create(buurt=buurt, resident=requester, kind="call", note=s("call"))
    ReferralCard.objects.create(
        buurt=buurt,
        professional_name=s("pro"),
        professional_contact=s("procontact"),
        resident_name=s("cardname"),
        what=s("cardwhat"),
        consent=True,
    )
    note = LocalNote.objects.create(buurt=buurt, title=s("notetitle"), body=s("notebody"))
    unsent = Notification.objects.create(
        buurt=buurt,
        recipient_resident=volunteer,
        template="proposal",
        idempotency_key=f"proposal:{proposal.pk}:{volunteer.pk}",
        context={"proposal_id": proposal.pk},
        status="skipped",
        last_error="no email address",
    )
    call_task = CallTask.objects.create(
        buurt=buurt, notification=unsent, resident=volunteer, template="proposal", say=s("say"), proposal=proposal
    )
    return Records(
        buurt=buurt,
        resident=requester,
        volunteer=volunteer,
        request=request,
        proposal=proposal,
        follow_up=follow_up,
        queue_item=queue_item,
        service=service,
        referral=referral,
        local_note=note,
        call_task=call_task,
    )


def fingerprint(buurt: Neighbourhood) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of a neighbourhood in the tables that hold its data, to prove nothing was written."""
    in_buurt = "buurt_id = %s"
    of_residents = "resident_id IN (SELECT id FROM residents_resident WHERE buurt_id = %s)"
    of_requests = "request_id IN (SELECT id FROM helprequests_helprequest WHERE buurt_id = %s)"
    tables = {
        "core_neighbourhood": "id = %s",
        "residents_resident": in_buurt,
        "helprequests_helprequest": in_buurt,
        "coordination_queueitem": in_buurt,
        "coordination_professionalservice": in_buurt,
        "coordination_referral": in_buurt,
        "coordination_contactlog": in_buurt,
        "coordination_referralcard": in_buurt,
        "notifications_calltask": in_buurt,
        "toolbox_content_localnote": in_buurt,
        "residents_consent": of_residents,
        "residents_housemate": of_residents,
        "residents_helpentry": of_residents,
        "helprequests_matchproposal": of_requests,
        "helprequests_followup": of_requests,
    }
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table, where in tables.items():
            cursor.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY id", [buurt.pk])
            rows[table] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    return rows


def coordinator_of(buurt: Neighbourhood, email: str) -> User:
    from tests.conftest import enrol_totp

    user = UserFactory(email=email)
    buurt.coordinators.add(user)
    enrol_totp(user)
    return user
