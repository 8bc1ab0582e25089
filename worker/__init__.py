"""The Celery app, its beat schedule and thin tasks that take ids and call domain code."""
