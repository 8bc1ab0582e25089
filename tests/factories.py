"""factory_boy factories for the domain. Addresses and names are made up."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from burenhulp.core.models import Neighbourhood, Street, User
from burenhulp.residents.models import HelpEntry, HelpKind, Resident


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Buurt {n}")
    slug = factory.Sequence(lambda n: f"buurt-{n}")
    municipality = "Gent"
    lat = 51.0500
    lon = 3.7300


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    buurt = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Straat {n}")
    lat = factory.LazyAttribute(lambda o: o.buurt.lat)
    lon = factory.LazyAttribute(lambda o: o.buurt.lon)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    buurt = factory.SubFactory(NeighbourhoodFactory)
    first_name = factory.Sequence(lambda n: f"Bewoner{n}")
    last_name = "Peeters"
    street = factory.SubFactory(StreetFactory, buurt=factory.SelfAttribute("..buurt"))
    house_number = factory.Sequence(lambda n: str(n % 200 + 1))
    lat = factory.LazyAttribute(lambda o: o.buurt.lat)
    lon = factory.LazyAttribute(lambda o: o.buurt.lon)
    languages = ["nl"]
    last_active_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def offers(obj: Resident, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for category in extracted or []:
            HelpEntry.objects.create(resident=obj, buurt=obj.buurt, category=category, kind=HelpKind.OFFER)

    @factory.post_generation
    def wants(obj: Resident, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for category in extracted or []:
            HelpEntry.objects.create(resident=obj, buurt=obj.buurt, category=category, kind=HelpKind.WANT)
