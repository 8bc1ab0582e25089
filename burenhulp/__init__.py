"""Burenhulp: the Django project and the core domain."""

from worker.celery import app as celery_app

__all__ = ("celery_app",)
