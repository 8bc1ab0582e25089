from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from burenhulp.core.models import Neighbourhood, User

pytestmark = pytest.mark.django_db


def test_create_buurt_with_all_options() -> None:
    call_command(
        "create_buurt",
        "--slug",
        "ledeberg",
        "--name",
        "Ledeberg",
        "--lat",
        "51.04",
        "--lon",
        "3.74",
        "--radius-m",
        "1200",
    )
    buurt = Neighbourhood.objects.get(slug="ledeberg")
    assert (buurt.name, buurt.lat, buurt.lon, buurt.match_radius_m) == ("Ledeberg", 51.04, 3.74, 1200)


def test_create_buurt_updates_an_existing_slug() -> None:
    call_command("create_buurt", "--slug", "ledeberg", "--name", "Ledeberg", "--lat", "51.04", "--lon", "3.74")
    call_command("create_buurt", "--slug", "ledeberg", "--name", "Ledeberg-Zuid", "--radius-m", "900")
    buurt = Neighbourhood.objects.get(slug="ledeberg")
    assert (buurt.name, buurt.match_radius_m, buurt.lat) == ("Ledeberg-Zuid", 900, 51.04)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "bad slug!", "--name", "X"], "--slug"),
        (["--slug", "x", "--name", "X", "--lat", "95", "--lon", "3"], "--lat"),
        (["--slug", "x", "--name", "X", "--lat", "51"], "--lon"),
        (["--slug", "x", "--name", "X", "--radius-m", "10"], "--radius-m"),
        (["--slug", "x", "--name", "  "], "--name"),
    ],
)
def test_create_buurt_names_the_wrong_option(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("create_buurt", *args)


def test_create_coordinator_makes_an_active_verified_coordinator() -> None:
    call_command("create_buurt", "--slug", "ledeberg", "--name", "Ledeberg")
    call_command(
        "create_coordinator",
        "--buurt",
        "ledeberg",
        "--email",
        "Griet@Example.org",
        "--password",
        "a-good-long-password",
    )
    user = User.objects.get(email="griet@example.org")
    assert user.is_active and user.check_password("a-good-long-password")
    assert EmailAddress.objects.get(user=user).verified
    assert list(user.coordinated_buurten.values_list("slug", flat=True)) == ["ledeberg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--buurt", "nowhere", "--email", "a@example.org", "--password", "a-good-long-password"], "--buurt"),
        (["--buurt", "ledeberg", "--email", "not-an-email", "--password", "a-good-long-password"], "--email"),
        (["--buurt", "ledeberg", "--email", "a@example.org", "--password", "short"], "--password"),
    ],
)
def test_create_coordinator_validates(args: list[str], message: str) -> None:
    call_command("create_buurt", "--slug", "ledeberg", "--name", "Ledeberg")
    with pytest.raises(CommandError, match=message):
        call_command("create_coordinator", *args)


def test_seed_demo_is_realistic_and_idempotent() -> None:
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    buurt = Neighbourhood.objects.get(slug="wakken")
    assert buurt.streets.exclude(lat=None).count() >= 6
    assert buurt.residents.count() >= 24
    statuses = set(buurt.help_requests.values_list("status", flat=True))
    assert {"open", "proposed", "matched", "done", "queued", "referred", "cancelled", "expired"} <= statuses
