"""Forms of the coordinator dashboard and the public referral card. Labels are plain words; errors say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from burenhulp.coordination.models import ContactLog, ProfessionalService, ReferralStatus
from burenhulp.core.models import Neighbourhood


class ReferForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ProfessionalService.objects.none(),
        empty_label=_("Choose a service"),
        error_messages={
            "required": _("Choose a service from the list."),
            "invalid_choice": _("Choose a service from this neighbourhood's directory."),
        },
    )
    consent = forms.BooleanField(
        label=_("The resident agrees that we pass this on to the service"),
        error_messages={"required": _("Ask the resident first. A referral needs their consent.")},
    )
    reason = forms.CharField(label=_("Why this service"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note for coordinators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only coordinators of this neighbourhood see this note."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day you want to check whether the service reached the resident."),
        error_messages={"invalid": _("Enter a date like 2025-03-31.")},
    )

    def __init__(self, *args: Any, buurt: Neighbourhood, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ProfessionalService.objects.in_buurt(buurt).filter(active=True)  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened? A colleague should understand it later."),
        error_messages={"required": _("Write down the outcome before you close the item.")},
    )


class ReleaseForm(forms.Form):
    """Release to neighbours, never in one click (DESIGN §12): a reason always; for a crisis also a confirmation."""

    reason = forms.CharField(
        label=_("Why can neighbours carry this?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason is logged and shown on the item."),
        error_messages={"required": _("Write down why this can go to neighbours.")},
    )
    confirm = forms.BooleanField(
        label=_("I spoke to the resident. There is no danger, and a neighbour can help safely."),
        required=False,
    )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ContactLog.Kind.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What was said or agreed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ServiceForm(forms.ModelForm):
    class Meta:
        model = ProfessionalService
        fields = ["name", "kind", "phone", "email", "website", "address", "what_for", "notes"]
        widgets = {"what_for": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: name, kind, phone, email, website, address, what_for, notes. Comma or semicolon."),
        error_messages={"required": _("Choose a CSV file.")},
    )

    def clean_file(self) -> str:
        f = self.cleaned_data["file"]
        if f.size > 1_000_000:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        raw = f.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return str(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file could not be read. Save it as CSV (UTF-8)."))


class ReferralCardForm(forms.Form):
    professional_name = forms.CharField(label=_("Your name"), max_length=120)
    organisation = forms.CharField(label=_("Organisation"), max_length=160, required=False)
    professional_contact = forms.CharField(
        label=_("How can we reach you?"), max_length=160, help_text=_("A phone number or an email address.")
    )
    resident_name = forms.CharField(label=_("Name of the resident"), max_length=120)
    resident_contact = forms.CharField(label=_("Address or phone of the resident"), max_length=200, required=False)
    what = forms.CharField(
        label=_("What could help this person?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent = forms.BooleanField(
        label=_("The resident agrees that I pass this on to the neighbourhood"),
        error_messages={"required": _("Ask the resident first. We can only accept a signal with their consent.")},
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by spam robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.required and name != "consent":
                field.error_messages["required"] = _("Please fill this in.")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


def terms_to_text(terms: Any) -> str:
    return "\n".join(str(t) for t in (terms or []))


def text_to_terms(text: str) -> list[str]:
    seen: list[str] = []
    for line in text.replace(",", "\n").splitlines():
        term = line.strip().lower()
        if term and term not in seen:
            seen.append(term[:80])
    return seen


class BuurtSettingsForm(forms.Form):
    heavy_terms = forms.CharField(
        label=_("Extra words that make a request heavy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One word or phrase per line. The coordinator then gets the request, not the neighbours."),
    )
    crisis_terms = forms.CharField(
        label=_("Extra words that mean crisis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One word or phrase per line. Coordinators get an alert at once."),
    )
    light_terms = forms.CharField(
        label=_("Words that are fine for neighbours here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: local words that sound heavy but are not."),
    )
    proposals_per_round = forms.IntegerField(label=_("Neighbours asked per round"), min_value=1, max_value=20)
    round_hours = forms.IntegerField(label=_("Hours before the next round"), min_value=1, max_value=24 * 14)
    max_rounds = forms.IntegerField(label=_("Rounds before the coordinator is asked"), min_value=1, max_value=20)
    requires_approval = forms.BooleanField(label=_("New profiles need approval"), required=False)

    @classmethod
    def for_buurt(cls, buurt: Neighbourhood, data: Any = None) -> BuurtSettingsForm:
        terms = buurt.triage_terms or {}
        initial = {
            "heavy_terms": terms_to_text(terms.get("heavy")),
            "crisis_terms": terms_to_text(terms.get("crisis")),
            "light_terms": terms_to_text(terms.get("light")),
            "proposals_per_round": buurt.proposals_per_round,
            "round_hours": buurt.round_hours,
            "max_rounds": buurt.max_rounds,
            "requires_approval": buurt.requires_approval,
        }
        return cls(data, initial=initial)

    def save(self, buurt: Neighbourhood) -> None:
        d = self.cleaned_data
        terms = {k: text_to_terms(d[f"{k}_terms"]) for k in ("heavy", "crisis", "light")}
        buurt.triage_terms = {k: v for k, v in terms.items() if v}
        buurt.proposals_per_round = d["proposals_per_round"]
        buurt.round_hours = d["round_hours"]
        buurt.max_rounds = d["max_rounds"]
        buurt.requires_approval = d["requires_approval"]
        buurt.save(
            update_fields=["triage_terms", "proposals_per_round", "round_hours", "max_rounds", "requires_approval"]
        )
