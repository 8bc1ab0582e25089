from django.apps import AppConfig


class ToolboxContentConfig(AppConfig):
    name = "toolbox_content"
    default_auto_field = "django.db.models.BigAutoField"
