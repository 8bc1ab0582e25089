from importlib import import_module

from django.apps import AppConfig
from django.conf import settings

from burenhulp.observability import init_error_reporting


class CoreConfig(AppConfig):
    name = "burenhulp.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Error reporting starts with the app registry in every process (web, worker, beat, commands), never at
        # settings import, and only where SENTRY_DSN is set.
        if settings.SENTRY_DSN:
            init_error_reporting(
                dsn=settings.SENTRY_DSN, environment=settings.SENTRY_ENVIRONMENT, release=settings.SENTRY_RELEASE
            )
        # API tokens are revoked when a password or a second factor changes (issue #14 M3), whoever changes it.
        import_module(f"{self.name}.apitokens").connect_signals()
