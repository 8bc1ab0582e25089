"""Forms of the Burenbox. One form holds every field of the card; each step of the wizard shows a part of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from burenhulp.core.categories import Category
from burenhulp.core.emails import normalize_email
from burenhulp.core.models import Language, Neighbourhood, Street
from burenhulp.residents.models import (
    DAYS,
    HOUSE_NUMBER_VALIDATOR,
    MAX_HOUSEMATES,
    SHAREABLE_FIELDS,
    SHAREABLE_LABELS,
    ConsentHow,
    ContactVia,
    DayPart,
    Resident,
)
from burenhulp.residents.photos import clean_photo
from burenhulp.residents.selectors import live_consents
from burenhulp.residents.validation import (
    LANGUAGE_OPTIONS,
    clean_first_name,
    clean_house_number,
    clean_last_name,
    validate_birthday,
    validate_pause_date,
    validate_phone,
)

AVAILABILITY_CHOICES = [(f"{d}-{p}", f"{d}-{p}") for d, _label in DAYS for p in DayPart.values]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CardForm(forms.Form):
    """Every field of the Burenbox. `only` keeps the fields of one step; all but the first name are optional."""

    # About me
    first_name = forms.CharField(label=_("First name"), max_length=60)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    birth_date = forms.DateField(
        label=_("My birthday"), required=False, widget=DateInput(), validators=[validate_birthday]
    )
    street = forms.CharField(
        label=_("Street"),
        max_length=120,
        required=False,
        help_text=_("Choose your street from the list. Not in the list? Type it: a coordinator checks it."),
        widget=forms.TextInput(attrs={"list": "street-names", "autocomplete": "address-line1"}),
    )
    house_number = forms.CharField(
        label=_("House number"),
        max_length=16,
        required=False,
        validators=[HOUSE_NUMBER_VALIDATOR],
        help_text=_("For example 12, 12B or 12 bus 3. Only a neighbour who helps you sees it."),
    )
    house_description = forms.CharField(
        label=_("My house"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How neighbours recognise your house: a blue door, the flat on the 2nd floor…"),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Only a neighbour who helps you sees it."),
    )
    other_contact = forms.CharField(
        label=_("Another way to reach me"),
        max_length=120,
        required=False,
        help_text=_("For example: ring twice, or ask my daughter Els."),
    )
    # Help table
    offers = forms.MultipleChoiceField(choices=Category.choices, required=False, label=_("I can offer help"))
    wants = forms.MultipleChoiceField(choices=Category.choices, required=False, label=_("I could use help"))
    # More about me
    favourites = forms.CharField(label=_("My favourite book, film or music"), max_length=200, required=False)
    dream = forms.CharField(label=_("Something I still want to do one day"), max_length=200, required=False)
    favourite_food = forms.CharField(label=_("What I could eat every day"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"), choices=LANGUAGE_OPTIONS, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Photo
    photo = forms.FileField(
        label=_("A photo or drawing of myself"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "A photo from your phone or computer, not too big (at most 5 MB). We remove the place and date hidden in it."
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    # When and how much
    availability = forms.MultipleChoiceField(choices=AVAILABILITY_CHOICES, required=False, label=_("When I can help"))
    has_car = forms.BooleanField(label=_("I have a car and can give a lift"), required=False)
    max_active_matches = forms.IntegerField(
        label=_("At most this many helps at the same time"), min_value=0, max_value=20, initial=2
    )
    max_matches_per_month = forms.IntegerField(
        label=_("At most this many helps a month"), min_value=0, max_value=60, initial=6
    )
    paused_until = forms.DateField(
        label=_("I take a break from helping until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if you are not taking a break."),
    )
    # Sharing
    share_card = forms.BooleanField(label=_("Neighbours may see my card"), required=False)
    shared_fields = forms.MultipleChoiceField(
        label=_("What neighbours may see besides my first name"),
        choices=[(f, SHAREABLE_LABELS[f]) for f in SHAREABLE_FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your house number, phone and email are never shown here."),
    )
    weekly_digest = forms.BooleanField(label=_("Send me a weekly email with requests near me"), required=False)
    language = forms.ChoiceField(label=_("Language of my emails"), choices=Language.choices)

    def __init__(self, *args: Any, buurt: Neighbourhood, only: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buurt = buurt
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]

    def clean_first_name(self) -> str:
        return clean_first_name(self.cleaned_data["first_name"], message=_("Enter your first name."))

    def clean_last_name(self) -> str:
        return clean_last_name(self.cleaned_data["last_name"])

    def clean_house_number(self) -> str:
        return clean_house_number(self.cleaned_data["house_number"])

    def clean_paused_until(self) -> date | None:
        value: date | None = self.cleaned_data["paused_until"]
        validate_pause_date(value)
        return value

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return clean_photo(upload)

    def to_data(self) -> dict[str, Any]:
        """The cleaned values in the shape of `services.resident_update`."""
        data = dict(self.cleaned_data)
        if "availability" in data:
            data["availability"] = [
                {"day": int(v.split("-")[0]), "part": v.split("-")[1]} for v in data["availability"]
            ]
        if data.pop("remove_photo", False) and not data.get("photo"):
            data["photo"] = False
        return data


class HousemateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    birthday = forms.DateField(label=_("Birthday"), required=False, widget=DateInput(), validators=[validate_birthday])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birthday") and not (data.get("name") or "").strip():
            self.add_error("name", _("Write the name that goes with this birthday."))
        return data


HousemateFormSet = forms.formset_factory(HousemateForm, extra=0, max_num=MAX_HOUSEMATES, absolute_max=MAX_HOUSEMATES)


def housemate_formset(resident: Resident | None, data: Any = None, *, blanks: int | None = None) -> Any:
    """Existing housemates plus empty rows, so more can be added without JavaScript. The resident's own card shows
    one empty row at a time (`blanks=1`, and a button that saves and shows the next one)."""
    rows = [{"name": h.name, "birthday": h.birthday} for h in resident.housemates.all()] if resident else []
    if blanks is None:
        blanks = 2 if rows else 3
    initial = rows + [{}] * min(blanks, MAX_HOUSEMATES - len(rows))
    return HousemateFormSet(data, initial=initial, prefix="hm")


def card_initial(resident: Resident) -> dict[str, Any]:
    entries = list(resident.help_entries.all())
    return {
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "birth_date": resident.birth_date,
        "street": resident.street.name if resident.street else resident.street_typed,
        "house_number": resident.house_number,
        "house_description": resident.house_description,
        "phone": resident.phone,
        "other_contact": resident.other_contact,
        "offers": [e.category for e in entries if e.kind == "offer"],
        "wants": [e.category for e in entries if e.kind == "want"],
        "favourites": resident.favourites,
        "dream": resident.dream,
        "favourite_food": resident.favourite_food,
        "languages": resident.languages,
        "availability": [f"{a['day']}-{a['part']}" for a in resident.availability or []],
        "has_car": resident.has_car,
        "max_active_matches": resident.max_active_matches,
        "max_matches_per_month": resident.max_matches_per_month,
        "paused_until": resident.paused_until,
        "share_card": "share_profile" in live_consents(resident),
        "shared_fields": resident.shared_fields,
        "weekly_digest": resident.weekly_digest,
        "language": resident.language,
        "email": resident.email,
        "consent_how": resident.consent_how,
        "contact_via": resident.contact_via,
        "contact_note": resident.contact_note,
    }


class IntakeForm(CardForm):
    """The whole card on one page, for a coordinator entering it on a resident's behalf."""

    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Optional. With an email address the resident can later sign in with a code sent to it."),
    )
    consent_how = forms.ChoiceField(
        label=_("How the resident agreed"), choices=ConsentHow.choices, initial=ConsentHow.VERBAL
    )
    consent_given = forms.BooleanField(
        label=_("The resident agreed that Burenhulp keeps this card and may suggest them to neighbours"),
        required=True,
    )
    contact_via = forms.ChoiceField(label=_("Best way to reach them"), choices=ContactVia.choices)
    contact_note = forms.CharField(
        label=_("How to reach them"),
        max_length=200,
        required=False,
        help_text=_("For example: call in the morning, or via her son Jan, 0470 12 34 56."),
    )

    def __init__(self, *args: Any, resident: Resident | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resident = resident
        if resident is not None and (resident.user_id or resident.email):
            # The resident's address belongs to them; a coordinator does not change it. The same whether or not it
            # has an account, so the page does not tell (issue #14 L5).
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("Only the resident can change this address.")

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email") or ""
        return normalize_email(value) if value.strip() else ""


class StreetsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Street list (CSV file)"),
        help_text=_("Columns: name, postcode, lat, lon. Separated by commas or semicolons."),
    )


class StreetConfirmForm(forms.Form):
    """Confirm one typed street name: it is a street already on the list, or it is added to the list. The street list
    is read once per page (`streets`), however many names wait."""

    typed = forms.CharField(max_length=120, widget=forms.HiddenInput)
    street = forms.ChoiceField(label=_("It is this street from the list"), required=False)
    name = forms.CharField(label=_("Or add it to the list as"), max_length=120, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    def __init__(self, *args: Any, streets: Sequence[Street], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.streets = {str(s.pk): s for s in streets}
        self.fields["street"].choices = [("", "—"), *((str(s.pk), s.name) for s in streets)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["street"] = self.streets.get(data.get("street") or "")
        data["name"] = " ".join((data.get("name") or "").split())
        if data["street"] is None and not data["name"]:
            raise forms.ValidationError(_("Choose a street from the list, or give the name to add."))
        return data
