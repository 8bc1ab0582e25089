"""The one branding form, used by the Django admin (any municipality or neighbourhood) and by the coordinator's
"Branding" page (only the current neighbourhood's row). The rules themselves live in burenhulp/core/branding.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from burenhulp.core.branding import LOGO_MAX_BYTES, clean_logo, validate_colour
from burenhulp.core.models import Branding, Neighbourhood

#: What the coordinator's page edits; the admin also chooses the neighbourhood or municipality.
BUURT_FIELDS = ["name", "colour", "contact_line", "privacy_statement", "accessibility_statement"]


class BrandingForm(forms.ModelForm):
    """The colour is refused when white text on it is hard to read (WCAG AA); the logo is opened with Pillow and
    stored again as a small PNG."""

    logo_upload = forms.FileField(
        label=capfirst(_("logo")),
        required=False,
        help_text=_("A PNG or JPEG picture, at most 1 MB. Shown beside the name."),
    )
    remove_logo = forms.BooleanField(label=capfirst(_("remove the logo")), required=False)

    class Meta:
        model = Branding
        fields = ["buurt", "municipality", *BUURT_FIELDS]
        widgets = {
            "privacy_statement": forms.Textarea(attrs={"rows": 6}),
            "accessibility_statement": forms.Textarea(attrs={"rows": 6}),
        }

    @classmethod
    def for_buurt(cls, buurt: Neighbourhood, data: Any = None, files: Any = None) -> BrandingForm:
        """The form of one neighbourhood's own branding: its row, or a new one (saved on the first valid post)
        that starts from what the neighbourhood shows today (its municipality's or the platform's)."""
        row = Branding.objects.filter(buurt=buurt).first()
        initial: dict[str, Any] = {}
        if row is None:
            inherited = (
                Branding.objects.filter(buurt__isnull=True, municipality__in=[buurt.municipality, ""])
                .defer("logo")
                .order_by("-municipality")
                .first()
            )
            row = Branding(buurt=buurt)
            if inherited is not None:
                initial = {f: getattr(inherited, f) for f in BUURT_FIELDS}
        form = cls(data, files, instance=row, initial=initial)
        del form.fields["buurt"], form.fields["municipality"]
        if not row.logo:
            del form.fields["remove_logo"]
        return form

    def clean_colour(self) -> str:
        return validate_colour(self.cleaned_data.get("colour", ""))

    def clean_logo_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size and upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("This logo is too big: at most 1 MB."))
        return clean_logo(upload.read())

    def save(self, commit: bool = True) -> Branding:
        branding = super().save(commit=False)
        if self.cleaned_data.get("logo_upload"):
            branding.logo = self.cleaned_data["logo_upload"]
        elif self.cleaned_data.get("remove_logo"):
            branding.logo = b""
        if commit:
            branding.save()
        return branding
