from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "burenhulp.coordination"
    label = "coordination"
    default_auto_field = "django.db.models.BigAutoField"
