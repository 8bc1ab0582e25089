"""django-allauth hooks: language remembered at login, coordinators sent to their dashboard."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from burenhulp.core.emails import email_key, normalize_email
from burenhulp.core.proxies import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        # A fresh session after login: restore the user's language and recompute the role.
        request.session["user_language"] = user.language
        request.session.pop("is_coordinator", None)

    def clean_email(self, email: str) -> str:
        """Sign-up and adding an address: the one stored form, and only addresses email allows (M1)."""
        return normalize_email(super().clean_email(email))

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """Every sign-in (form, login code, token endpoint) looks up and counts the one stored form."""
        if isinstance(credentials.get("email"), str):
            credentials["email"] = email_key(credentials["email"])
        return super().authenticate(request, **credentials)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The lockout counts per person: look-alike spellings share one counter (M1)."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        return str(super()._get_login_attempts_cache_key(request, email=email_key(str(login))))

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address the sign-in limits count: the visitor's, behind exactly TRUSTED_PROXY_COUNT proxies."""
        return client_ip(request)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return "/dashboard/"

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Enrolling the first second factor right after signing in needs no second password prompt: a coordinator
        is sent there straight from the login form. Every other sensitive change still asks for reauthentication."""
        request = context.request
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            first_factor = not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            records = get_authentication_records(request, user)
            just_signed_in = (
                bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
            )
            if first_factor and just_signed_in:
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))
