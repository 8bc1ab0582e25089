"""Test settings with the triage model taken from BURENHULP_TRIAGE_MODEL: the start-up test points it at a missing
or damaged file and expects start-up to stop."""

import os

from tests.settings import *  # noqa: F403

BURENHULP_TRIAGE_MODEL = os.environ.get("BURENHULP_TRIAGE_MODEL", "")
