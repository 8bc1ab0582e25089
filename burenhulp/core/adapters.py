"""django-allauth hooks: language remembered at login, coordinators sent to their dashboard, account emails signed
with the platform's name (never a host name)."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils import timezone

from burenhulp.core.branding import branding_for
from burenhulp.core.emails import email_key, normalize_email
from burenhulp.core.models import Neighbourhood
from burenhulp.core.proxies import client_ip


def _buurt_of(user: Any) -> Neighbourhood | None:
    """The neighbourhood whose branding an account email carries: the resident's, else the first one coordinated."""
    if user is None or not getattr(user, "pk", None):
        return None
    resident = getattr(user, "resident", None)
    if resident is not None:
        return resident.buurt
    return Neighbourhood.objects.filter(coordinators=user).order_by("pk").first()


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        # A fresh session after login: restore the user's language and recompute the role.
        request.session["user_language"] = user.language
        request.session.pop("is_coordinator", None)

    def format_email_subject(self, subject: str) -> str:
        """The subject as written: no "[127.0.0.1:8611]" prefix (the sender's name already says who writes)."""
        return str(subject).strip()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every account email is signed with the platform's (or the neighbourhood's) name, never a host name."""
        brand = branding_for(_buurt_of(context.get("user")))
        context = {**context, "platform_name": brand.name, "platform_contact": brand.contact_line}
        super().send_mail(template_prefix, email, context)

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
            timeout = account_settings.REAUTHENTICATION_TIMEOUT
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            # The first factor, or the spare codes shown right after enrolling it: no second password prompt.
            first_factor = totp is None or (timezone.now() - totp.created_at).total_seconds() < timeout
            records = get_authentication_records(request, user)
            just_signed_in = bool(records) and time.time() - records[-1]["at"] < timeout
            if first_factor and just_signed_in:
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))
