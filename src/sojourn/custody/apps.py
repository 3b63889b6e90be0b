from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "sojourn.custody"
    verbose_name = "Custody"
