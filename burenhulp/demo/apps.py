from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "burenhulp.demo"
    label = "demo"
    verbose_name = "Demo data"
