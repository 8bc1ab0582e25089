"""'Download my data' and 'delete my account', attacked with sentinel strings in every personal field."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from burenhulp.coordination.models import ContactLog, ProfessionalService, QueueItem, Referral, ReferralCard
from burenhulp.core.apitokens import token_issue
from burenhulp.core.models import ApiToken, AuditLog, Neighbourhood, User, audit
from burenhulp.helprequests.models import FollowUp, HelpRequest, MatchProposal, ProposalStatus, RequestStatus
from burenhulp.notifications.models import Notification
from burenhulp.residents.models import Consent, Housemate, Resident, ResidentBlock
from tests.conftest import web_client
from tests.factories import ResidentFactory, UserFactory
from tests.trust.conftest import MARK, sentinel
from tests.trust.scan import database_hits, file_hits


@dataclass
class Person:
    user: User
    resident: Resident
    request: HelpRequest
    helped_request: HelpRequest


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(buurt: Neighbourhood, volunteer: Resident, coordinator: User, media: Path) -> Person:
    """A resident with a sentinel in every personal field and in every kind of row about them."""
    s = sentinel
    user = UserFactory(email=f"{MARK}-mail@example.org", first_name=s("ufirst"), last_name=s("ulast"))
    resident = ResidentFactory(
        buurt=buurt,
        user=user,
        email=f"{MARK}-mail@example.org",
        first_name=s("first"),
        last_name=s("last"),
        birth_date=date(1941, 3, 4),
        house_description=s("house"),
        phone=s("phone")[:30],
        other_contact=s("other"),
        favourites=s("fav"),
        dream=s("dream"),
        favourite_food=s("food"),
        contact_note=s("note"),
        wants=["boodschappen"],
        offers=["planten"],
    )
    resident.photo.save("me.jpg", ContentFile(_jpeg()), save=True)
    Housemate.objects.create(resident=resident, name=s("housemate"), birthday=date(1940, 1, 1))
    Consent.objects.create(resident=resident, purpose=Consent.Purpose.PLATFORM, text_version="2026-1")
    ResidentBlock.objects.create(blocker=resident, blocked=volunteer)

    request = HelpRequest.objects.create(
        buurt=buurt, requester=resident, category="boodschappen", description=s("description")
    )
    MatchProposal.objects.create(
        request=request, volunteer=volunteer, score=0.9, reasons=[{"code": "distance", "m": 200}], distance_m=200
    )
    FollowUp.objects.create(request=request, respondent=resident, role="requester", comment=s("followup"))

    other = ResidentFactory(buurt=buurt, first_name="Olga", wants=["planten"])
    helped = HelpRequest.objects.create(
        buurt=buurt, requester=other, category="planten", description="Water my plants", status=RequestStatus.MATCHED
    )
    MatchProposal.objects.create(
        request=helped, volunteer=resident, score=0.8, status=ProposalStatus.ACCEPTED, reasons=[{"code": "x"}]
    )
    FollowUp.objects.create(request=helped, respondent=resident, role="volunteer", comment=s("helpercomment"))

    item = QueueItem.objects.create(
        buurt=buurt, kind="check_in", resident=resident, request=request, summary=s("summary"), outcome=s("outcome")
    )
    service = ProfessionalService.objects.create(buurt=buurt, name="OCMW Wakken", kind="ocmw")
    Referral.objects.create(
        buurt=buurt,
        queue_item=item,
        request=request,
        resident=resident,
        service=service,
        note=s("refnote"),
        reason=s("refreason"),
        consent=True,
    )
    ContactLog.objects.create(buurt=buurt, resident=resident, queue_item=item, kind="call", note=s("call"))
    ReferralCard.objects.create(
        buurt=buurt,
        professional_name="Dr. Janssens",
        professional_contact="053 00 00 00",
        resident_name=s("cardname"),
        resident_contact=s("cardcontact"),
        what=s("cardwhat"),
        consent=True,
        queue_item=item,
    )
    Notification.objects.create(
        buurt=buurt,
        recipient_resident=resident,
        recipient_user=user,
        to_email=f"{MARK}-mail@example.org",
        template="proposal",
        context={"proposal_id": 1},
        idempotency_key="proposal:1:1",
        last_error=f"550 {MARK}-mail@example.org unknown",
    )
    audit(
        actor=coordinator,
        action="view",
        target=resident,
        buurt=buurt,
        subject_resident_id=resident.pk,
        reason="phone intake",
    )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(Resident),
        object_id=str(resident.pk),
        object_repr=s("adminrepr"),
        action_flag=CHANGE,
        change_message="[]",
    )
    token_issue(user=user)
    return Person(user=user, resident=resident, request=request, helped_request=helped)


# --- Download ---------------------------------------------------------------------------------------------------


def test_the_download_holds_every_personal_field_and_who_viewed_it(person: Person, coordinator: User) -> None:
    response = web_client(person.user).get("/my-data/download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    records = data["records"]

    me = records["residents.Resident"][0]
    assert me["first_name"] == sentinel("first")
    assert me["birth_date"] == "1941-03-04"
    assert me["house_description"] == sentinel("house")
    assert me["photo"].startswith("photos/")
    assert records["residents.Housemate"][0]["name"] == sentinel("housemate")
    assert records["core.User"][0]["email"] == f"{MARK}-mail@example.org"
    assert "password" not in records["core.User"][0]
    assert [r["description"] for r in records["helprequests.HelpRequest"]] == [sentinel("description")]
    assert {r["comment"] for r in records["helprequests.FollowUp"]} == {sentinel("followup"), sentinel("helpercomment")}
    assert [r["status"] for r in records["helprequests.MatchProposal"]] == ["accepted"]
    assert records["coordination.Referral"][0]["note"] == sentinel("refnote")
    assert records["coordination.ContactLog"][0]["note"] == sentinel("call")
    assert records["coordination.ReferralCard"][0]["what"] == sentinel("cardwhat")
    assert records["notifications.Notification"][0]["to_email"] == f"{MARK}-mail@example.org"
    assert records["residents.Consent"][0]["purpose"] == "platform"
    assert data["accounts"]["email_addresses"] == [
        {"email": f"{MARK}-mail@example.org", "verified": True, "primary": True}
    ]

    viewers = data["who_viewed_my_data"]
    assert viewers[0]["action"] == "view"
    assert viewers[0]["by"] == "Griet"
    assert viewers[0]["by_role"] == "coordinator"
    assert viewers[0]["reason"] == "phone intake"
    # The download itself is recorded too.
    assert AuditLog.objects.filter(action="export", subject_resident_id=person.resident.pk).count() == 1


def test_the_download_holds_nothing_about_other_residents(person: Person, volunteer: Resident) -> None:
    body = web_client(person.user).get("/my-data/download/").content.decode()
    assert "Victor" not in body  # the volunteer on their request
    assert "Olga" not in body  # the resident they helped
    assert "Water my plants" not in body
    assert "pbkdf2" not in body and "md5$" not in body


def test_the_download_needs_a_sign_in() -> None:
    response = Client().get("/my-data/download/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_my_data_page_lists_consents_and_can_withdraw_one(person: Person) -> None:
    client = english(web_client(person.user))
    page = client.get("/my-data/")
    assert page.status_code == 200
    assert "Keep my Burenbox and match me with neighbours" in page.content.decode()
    response = client.post("/my-data/consents/platform/withdraw/", follow=True)
    assert response.status_code == 200
    consent = Consent.objects.get(resident=person.resident, purpose="platform")
    assert consent.withdrawn_at is not None
    # Withdrawing the platform consent stops the use of the Burenbox: it is no longer an active profile.
    assert not Resident.objects.active().filter(pk=person.resident.pk).exists()


# --- Delete -----------------------------------------------------------------------------------------------------


def test_the_delete_page_asks_for_confirmation_and_keeps_the_account_without_it(person: Person) -> None:
    client = english(web_client(person.user))
    assert client.get("/my-data/delete/").status_code == 200
    response = client.post("/my-data/delete/", {})
    assert response.status_code == 200
    assert "Tick the box if you really want to delete your account." in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.is_active


def test_deleting_my_account_leaves_no_trace_in_the_database_or_media(person: Person, media: Path) -> None:
    photo_path = Path(person.resident.photo.path)
    assert photo_path.exists()
    other_device = web_client(person.user)
    assert other_device.get("/my-data/").status_code == 200
    assert database_hits(MARK), "the sentinels are in the database before erasure"

    response = web_client(person.user).post("/my-data/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/my-data/deleted/"

    assert database_hits(MARK) == []
    assert not photo_path.exists()
    assert file_hits(media, MARK) == []
    assert list(media.rglob("*.jpg")) == []

    # Signed out everywhere; the account cannot sign in again.
    assert other_device.get("/my-data/").status_code == 302
    person.user.refresh_from_db()
    assert not person.user.is_active
    assert not person.user.has_usable_password()
    assert not ApiToken.objects.filter(user=person.user).exists()


def test_deleted_requests_stay_in_the_statistics_without_a_person(person: Person, volunteer: Resident) -> None:
    web_client(person.user).post("/my-data/delete/", {"confirm": "on"})
    request = HelpRequest.objects.get(pk=person.request.pk)
    assert request.category == "boodschappen"
    assert request.status == RequestStatus.CANCELLED  # it was still open: nobody gets asked any more
    assert request.description == ""
    assert request.anonymised_at is not None
    # The proposal to the volunteer was withdrawn and forgot its reasons.
    proposal = MatchProposal.objects.get(request=request)
    assert (proposal.status, proposal.reasons, proposal.distance_m) == (ProposalStatus.WITHDRAWN, [], None)
    # The help they gave someone else still counts, without their comment.
    assert MatchProposal.objects.filter(request=person.helped_request, status="accepted").exists()
    assert FollowUp.objects.get(request=person.helped_request).comment == ""
    # The emptied profile is never matched or shown again.
    resident = Resident.objects.get(pk=person.resident.pk)
    assert resident.user_id is None
    assert not Resident.objects.active().filter(pk=resident.pk).exists()
    assert not resident.help_entries.exists()
    # The audit trail is kept, with one more line saying the account was deleted.
    actions = list(AuditLog.objects.filter(subject_resident_id=resident.pk).values_list("action", flat=True))
    assert sorted(actions) == ["delete", "view"]


def test_coordinators_cannot_delete_themselves_here(coordinator: User) -> None:
    response = web_client(coordinator).post("/my-data/delete/", {"confirm": "on"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_withdrawing_the_digest_consent_stops_the_weekly_digest(requester: Resident, volunteer: Resident) -> None:
    from burenhulp.helprequests.digests import weekly_digests_due

    Resident.objects.filter(pk=volunteer.pk).update(weekly_digest=True)
    Consent.objects.create(resident=volunteer, purpose=Consent.Purpose.DIGEST, text_version="1")
    HelpRequest.objects.create(
        buurt=requester.buurt, requester=requester, category="boodschappen", description="Bread", status="open"
    )
    assert weekly_digests_due() == 1  # the control: the digest goes out while the consent is live
    Notification.objects.all().delete()
    web_client(volunteer.user).post("/my-data/consents/digest/withdraw/")
    assert weekly_digests_due(date.today() + timedelta(days=7)) == 0


def test_withdrawing_the_photo_consent_hides_the_photo_from_neighbours(person: Person) -> None:
    Resident.objects.filter(pk=person.resident.pk).update(shared_fields=["offers", "photo"])
    Consent.objects.create(resident=person.resident, purpose=Consent.Purpose.PHOTO, text_version="1")
    web_client(person.user).post("/my-data/consents/photo/withdraw/")
    person.resident.refresh_from_db()
    assert "photo" not in person.resident.shared_fields
    assert "offers" in person.resident.shared_fields
