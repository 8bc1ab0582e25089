"""Enrolling a coordinator's second factor without losing the secret on the way (issue #13, acceptance 4).

allauth makes a new TOTP secret on every GET of the enrolment page. A browser that loads the page twice (a reload,
a second tab, or any request that ends up there) then shows a QR code whose codes the form no longer accepts. This
form keeps the secret in the session until enrolment succeeds (allauth removes it then)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth
from django import forms


class SteadyActivateTOTPForm(ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = auth.get_totp_secret(regenerate=False)
