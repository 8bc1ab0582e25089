"""The Celery app (autodiscovering each app's `tasks.py`) and the one beat schedule. Nothing else lives here."""
