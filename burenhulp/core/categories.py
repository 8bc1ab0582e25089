"""The twelve help categories of the Burenbox card (DESIGN §3), with their matching rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    BOODSCHAPPEN = "boodschappen", _("Small errands and shopping")
    VUILNIS = "vuilnis", _("Putting the bins out")
    PLANTEN = "planten", _("Watering the plants")
    TUIN = "tuin", _("Small garden jobs")
    HOND = "hond", _("Walking the dog")
    DOCUMENTEN = "documenten", _("Filling in forms")
    HUISWERK = "huiswerk", _("Children's homework")
    BUURTFEEST = "buurtfeest", _("Organising a street party")
    CHAUFFEUR = "chauffeur", _("Giving a lift")
    BABYSIT = "babysit", _("Babysitting")
    SAMEN = "samen", _("Doing nice things together")
    ANDERE = "andere", _("Something else")


# Categories whose volunteer must have a car.
NEEDS_CAR = frozenset({Category.CHAUFFEUR.value})
# Categories whose volunteer must be this old on the day of the help.
MIN_AGE = {Category.BABYSIT.value: 18}
# Group activities: no private address is needed to help.
GROUP_ACTIVITY = frozenset({Category.BUURTFEEST.value})
# Categories that triage reads with extra care (debt, legal, benefits) or always on their text.
TRIAGE_CAREFUL = frozenset({Category.DOCUMENTEN.value, Category.ANDERE.value})

# A pictogram per category, shown beside the plain words (decorative; the label carries the meaning).
ICONS = {
    "boodschappen": "🛒",
    "vuilnis": "🗑️",
    "planten": "🪴",
    "tuin": "🌿",
    "hond": "🐕",
    "documenten": "📝",
    "huiswerk": "📚",
    "buurtfeest": "🎉",
    "chauffeur": "🚗",
    "babysit": "🧸",
    "samen": "☕",
    "andere": "💬",
}

SLUGS: tuple[str, ...] = tuple(Category.values)
