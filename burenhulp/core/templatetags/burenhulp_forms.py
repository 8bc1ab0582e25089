"""Form rendering helpers: link a widget to its help text and errors with aria-describedby."""

from __future__ import annotations

import copy

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    attrs: dict[str, str | bool] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


#: The account forms' fields (django-allauth) in the product's own words.
ACCOUNT_LABELS = {
    "login": _("Your email address"),
    "email": _("Your email address"),
    "password": _("Your password"),
    "password1": _("Choose a password"),
    "password2": _("The same password again"),
    "remember": _("Stay signed in on this device"),
    "code": _("The code"),
}


@register.filter
def account_field(field: BoundField) -> BoundField:
    """An account form's field with our label, without the framework's placeholder (a label is enough)."""
    copy_ = copy.copy(field)
    copy_.label = str(ACCOUNT_LABELS.get(field.name, field.label))
    if field.name == "password":  # the framework's "forgot your password?" link: our page has its own
        copy_.help_text = ""
    copy_.field = copy.copy(field.field)
    copy_.field.widget = copy.copy(field.field.widget)
    copy_.field.widget.attrs = {k: v for k, v in field.field.widget.attrs.items() if k != "placeholder"}
    return copy_
