from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sojourn.web"
    verbose_name = "Web"
