"""API views for this area; the paths are collected by burenhulp/api/urls.py."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
