"""Django's password rules with texts in the product's voice ("je", plain words): the framework's own Dutch help
texts say "u", and one of its errors is not translated at all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as pv
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("This password is too short: use at least %(n)d characters.") % {"n": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("At least %(n)d characters. A short sentence is easy to remember.") % {"n": self.min_length}


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("This password looks too much like your email address or name."), code="password_too_similar"
            ) from None

    def get_help_text(self) -> str:
        return _("Not like your email address or name.")


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("Many people use this password: choose another one."), code="password_too_common"
            ) from None

    def get_help_text(self) -> str:
        return _("Not a password many people use.")


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if password.isdigit():
            raise ValidationError(_("Use letters too, not only digits."), code="password_entirely_numeric")

    def get_help_text(self) -> str:
        return _("Not only digits.")
