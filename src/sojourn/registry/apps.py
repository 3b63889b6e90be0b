from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sojourn.registry"
    verbose_name = "Registry"
