"""`manage.py shell -c "from tests.deploy import seed_for_backup; seed_for_backup.main()"`: fill the database that DATABASE_URL names for the production test.

The demo neighbourhood (seed_demo: residents, requests in every state, proposals, referrals, queue items), two
photos under MEDIA_ROOT, and one proposal email left in the outbox and on the broker's queue, for the worker of the
restored platform to send. Runs with the production settings; only the password hasher is the tests' fast one.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from PIL import Image

from burenhulp.helprequests.models import MatchProposal, ProposalStatus
from burenhulp.notifications.outbox import notify
from burenhulp.residents.models import Resident


def jpeg(colour: tuple[int, int, int]) -> ContentFile[bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def main() -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", verbosity=0)
    for colour, resident in zip(((200, 30, 30), (30, 30, 200)), Resident.objects.order_by("pk")[:2], strict=True):
        resident.photo.save(f"{resident.pk}.jpg", jpeg(colour), save=True)
    proposal = (
        MatchProposal.objects.filter(status=ProposalStatus.PROPOSED, volunteer__user__isnull=False)
        .select_related("volunteer__user")
        .first()
    )
    assert proposal is not None, "seed_demo made no open proposal"
    with transaction.atomic():
        notify(
            template="proposal",
            key=f"deploy-test:{proposal.pk}",
            resident=proposal.volunteer,
            context={"proposal_id": proposal.pk},
        )
    print(f"seeded; proposal email to the worker: {proposal.pk}")
