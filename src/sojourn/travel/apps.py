from django.apps import AppConfig


class TravelConfig(AppConfig):
    name = "sojourn.travel"
    verbose_name = "Travel"
