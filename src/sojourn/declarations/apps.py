from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "sojourn.declarations"
    verbose_name = "Declarations"
