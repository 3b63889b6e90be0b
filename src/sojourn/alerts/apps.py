from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "sojourn.alerts"
    verbose_name = "Alerts"
