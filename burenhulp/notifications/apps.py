from importlib import import_module

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "burenhulp.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The outbox addresses the delivery task by its registered name (burenhulp/notifications/outbox.py). A worker
        # registers it when it starts; every other process (web, commands, tests) registers it here, so that with
        # tasks in-process (development without Redis, tests) the name resolves instead of failing to the sweeper.
        import_module(f"{self.name}.tasks")
