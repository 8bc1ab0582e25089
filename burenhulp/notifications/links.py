"""Signed action links in emails (accept or decline a proposal, step back after saying yes, answer a follow-up, pause
emails).

A link carries the proposal's public id, signed with a salt per purpose, so an accept token never works as a decline
token. It expires after `settings.EMAIL_LINK_MAX_AGE_SECONDS`, and acts once (`EmailLinkUse`).
"""

from __future__ import annotations

import functools
from enum import Enum

from django.conf import settings
from django.core import signing
from django.urls import reverse

PROPOSAL_ACTIONS = ("accept", "decline")
UNSUBSCRIBE_SALT = "burenhulp.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600


class LinkProblem(Enum):
    TAMPERED = "tampered"
    EXPIRED = "expired"


class BadLink(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _salt(action: str) -> str:
    return f"burenhulp.proposal.{action}"


def proposal_token(public_id: object, action: str) -> str:
    if action not in PROPOSAL_ACTIONS:
        raise ValueError(action)
    return signing.dumps({"p": str(public_id), "a": action}, salt=_salt(action), compress=False)


@functools.cache
def _url_pattern(name: str, *fixed: str) -> str:
    # reverse() is slow next to everything else in an email; resolve each URL shape once per process.
    return settings.SITE_URL + reverse(name, args=[*fixed, "TOKEN"])


def proposal_url(public_id: object, action: str) -> str:
    return _url_pattern("notifications:proposal_answer", action).replace("TOKEN", proposal_token(public_id, action))


def read_proposal_token(token: str, action: str) -> str:
    """The proposal's public id in a valid token for `action`; `BadLink` if it was changed, made for another purpose
    or is too old."""
    if action not in PROPOSAL_ACTIONS:
        raise BadLink(LinkProblem.TAMPERED)
    try:
        payload = signing.loads(token, salt=_salt(action), max_age=settings.EMAIL_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise BadLink(LinkProblem.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise BadLink(LinkProblem.TAMPERED) from exc
    if not isinstance(payload, dict) or payload.get("a") != action or not isinstance(payload.get("p"), str):
        raise BadLink(LinkProblem.TAMPERED)
    return str(payload["p"])


#: Further signed links (DESIGN §12): "step_back" carries a proposal's public id, "follow_up" a follow-up's. Each has
#: its own salt, so one never works as the other; they expire like the accept link and act once (`EmailLinkUse`).
ACTION_LINKS = {"step_back": "notifications:step_back", "follow_up": "notifications:follow_up_answer"}


def action_token(kind: str, public_id: object) -> str:
    if kind not in ACTION_LINKS:
        raise ValueError(kind)
    return signing.dumps({"o": str(public_id), "k": kind}, salt=f"burenhulp.link.{kind}", compress=False)


def action_url(kind: str, public_id: object) -> str:
    return _url_pattern(ACTION_LINKS[kind]).replace("TOKEN", action_token(kind, public_id))


def read_action_token(token: str, kind: str) -> str:
    """The public id in a valid token of `kind`; `BadLink` if changed, made for another purpose, or too old."""
    if kind not in ACTION_LINKS:
        raise BadLink(LinkProblem.TAMPERED)
    try:
        payload = signing.loads(token, salt=f"burenhulp.link.{kind}", max_age=settings.EMAIL_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise BadLink(LinkProblem.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise BadLink(LinkProblem.TAMPERED) from exc
    if not isinstance(payload, dict) or payload.get("k") != kind or not isinstance(payload.get("o"), str):
        raise BadLink(LinkProblem.TAMPERED)
    return str(payload["o"])


def unsubscribe_token(notification_id: int) -> str:
    return signing.dumps({"n": notification_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(notification_id: int) -> str:
    return _url_pattern("notifications:unsubscribe").replace("TOKEN", unsubscribe_token(notification_id))


def read_unsubscribe_token(token: str) -> int | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    value = payload.get("n") if isinstance(payload, dict) else None
    return value if isinstance(value, int) else None
