"""POST /api/v1/auth/token/ — a token for email + password (+ TOTP code when a second factor is enrolled).

Tokens are hashed and expire (`burenhulp.core.apitokens`); each request gives a new one."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from burenhulp.api.fields import StrictTypes
from burenhulp.api.openapi import bad_request, forbidden
from burenhulp.core.apitokens import token_issue
from burenhulp.core.emails import email_key
from burenhulp.core.proxies import client_ip
from burenhulp.core.tenancy import coordinator_buurten

# One message for every failure, so the answer never says whether the email exists.
INVALID = "Unable to sign in with these credentials."
LOCKED = "Too many failed attempts. Please try again later."
# A coordinator's token needs a second factor first (issue #14 M3): enrolment happens on the website.
ENROL_FIRST = "Coordinators must set up two-factor authentication (sign in on the website) before using the API."


class TokenThrottle(AnonRateThrottle):
    scope = "token"

    def get_ident(self, request: Request) -> str:
        # The visitor's address behind exactly TRUSTED_PROXY_COUNT proxies; X-Forwarded-For is not read without one.
        return client_ip(request._request)


class TokenRequestSerializer(StrictTypes, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=256)
    code = serializers.CharField(required=False, allow_blank=True, max_length=12)


class ObtainToken(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: bad_request(
                'Field errors for a malformed body; otherwise one message, {"detail": "…"}, that does not say '
                "whether the email exists, the password was wrong or the code was missing or wrong."
            ),
            403: forbidden("A coordinator who has not set up a second factor on the website yet gets no token."),
            429: forbidden(
                "Too many failed attempts for this email address or from this address (the login form's lockout), "
                "or too many token requests."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        if not data.is_valid():
            return Response(data.errors, status=status.HTTP_400_BAD_REQUEST)
        email = email_key(data.validated_data["email"])
        # allauth's adapter counts failures, so the API shares the login form's lockout (docs/security.md).
        try:
            user = get_account_adapter(request._request).authenticate(
                request._request, email=email, password=data.validated_data["password"]
            )
        except DjangoValidationError:
            return Response({"detail": LOCKED}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response({"detail": INVALID}, status=status.HTTP_400_BAD_REQUEST)
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None and coordinator_buurten(user).exists():
            return Response({"detail": ENROL_FIRST}, status=status.HTTP_403_FORBIDDEN)
        if totp is not None:
            code = (data.validated_data.get("code") or "").strip()
            if not code or not TOTP(totp).validate_code(code):
                return Response({"detail": INVALID}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"token": token_issue(user=user)})
