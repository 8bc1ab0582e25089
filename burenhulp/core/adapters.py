"""django-allauth hooks: language remembered at login, coordinators sent to their dashboard."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        # A fresh session after login: restore the user's language and recompute the role.
        request.session["user_language"] = user.language
        request.session.pop("is_coordinator", None)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return "/dashboard/"
