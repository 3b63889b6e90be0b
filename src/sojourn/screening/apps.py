from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "sojourn.screening"
    verbose_name = "Screening"
