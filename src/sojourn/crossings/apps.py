from django.apps import AppConfig


class CrossingsConfig(AppConfig):
    name = "sojourn.crossings"
    verbose_name = "Crossings"
