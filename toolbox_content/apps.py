from django.apps import AppConfig

from toolbox_content.loader import default_documents


class ToolboxContentConfig(AppConfig):
    name = "toolbox_content"
    label = "toolbox_content"
    verbose_name = "Guidance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fail at start-up, naming the file, if any guidance file is missing or malformed. Parsing ~100 small files
        # takes a few milliseconds; the result is cached by the loader's callers.
        default_documents()
