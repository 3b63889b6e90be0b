from django.apps import AppConfig


class ResolutionConfig(AppConfig):
    name = "sojourn.resolution"
    verbose_name = "Identity resolution"
