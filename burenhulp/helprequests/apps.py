from django.apps import AppConfig


class HelprequestsConfig(AppConfig):
    name = "burenhulp.helprequests"
    label = "helprequests"
    default_auto_field = "django.db.models.BigAutoField"
