"""API tokens (DESIGN §9, issue #14 M3): hashed, expiring, revoked when the account's credentials change.

The key is shown once, to the client that asked for it; the database keeps its SHA-256 digest and the first
characters (to find the row). A token ends at `API_TOKEN_TTL_HOURS`, and every token of an account is revoked when
its password is set (change, reset, admin), when a second factor is added, changed or removed, and at erasure.
Clients send `Authorization: Token <key>` as before.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_reset
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from burenhulp.core.models import ApiToken, User

PREFIX_LENGTH = 8
INVALID_TOKEN = "Invalid or expired token."  # noqa: S105 (a message, not a secret)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User) -> str:
    """A new key for this account; only its digest is stored. Expired tokens of the account are cleared."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        prefix=key[:PREFIX_LENGTH],
        digest=_digest(key),
        created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return key


def tokens_revoke(*, user_id: int) -> int:
    """End every API token of the account; returns how many."""
    deleted, _ = ApiToken.objects.filter(user_id=user_id).delete()
    return deleted


def user_for_key(key: str) -> User | None:
    """The active account a live key belongs to, else None (unknown, expired or revoked key)."""
    if len(key) < PREFIX_LENGTH or len(key) > 128:
        return None
    digest = _digest(key)
    for token in ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).select_related("user"):
        if secrets.compare_digest(token.digest, digest):
            if token.expires_at <= timezone.now() or not token.user.is_active:
                return None
            return token.user
    return None


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against the hashed, expiring tokens above."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, None]:
        user = user_for_key(key)
        if user is None:
            raise AuthenticationFailed(INVALID_TOKEN)
        return user, None


def _password_set(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # Django keeps the raw password on the instance between `set_password()` and the end of `save()`: a password
    # change, a reset, `changepassword` and the admin all pass here.
    if not created and getattr(instance, "_password", None) is not None:
        tokens_revoke(user_id=instance.pk)


def _second_factor_added(sender: Any, instance: Authenticator, created: bool, **kwargs: Any) -> None:
    # Only a new factor: allauth saves an existing one each time it is used (last used, spent recovery codes).
    if created:
        tokens_revoke(user_id=instance.user_id)


def _second_factor_removed(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    tokens_revoke(user_id=instance.user_id)


def _recovery_codes_reset(sender: Any, user: User, **kwargs: Any) -> None:
    tokens_revoke(user_id=user.pk)


def connect_signals() -> None:
    """Called once from `CoreConfig.ready()`."""
    post_save.connect(_password_set, sender=User, dispatch_uid="apitokens_password_set")
    post_save.connect(_second_factor_added, sender=Authenticator, dispatch_uid="apitokens_mfa_added")
    post_delete.connect(_second_factor_removed, sender=Authenticator, dispatch_uid="apitokens_mfa_removed")
    authenticator_reset.connect(_recovery_codes_reset, dispatch_uid="apitokens_mfa_reset")
