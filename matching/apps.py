import sys
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from matching import classifier

# Commands that must run without a model: the one that makes it.
_WITHOUT_MODEL = frozenset({"triage_train"})


class MatchingConfig(AppConfig):
    name = "matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Load the triage model once per process, before any request is triaged. A missing or damaged model stops
        start-up (web, worker, every command) with a message that names the training command."""
        if len(sys.argv) > 1 and sys.argv[1] in _WITHOUT_MODEL:
            return
        try:
            configured = getattr(settings, "BURENHULP_TRIAGE_MODEL", None)
            classifier.ensure_loaded(Path(configured) if configured else None)
        except classifier.ModelError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
