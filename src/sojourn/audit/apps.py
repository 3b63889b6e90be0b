from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sojourn.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from sojourn.audit import signals  # noqa: F401  (connects the login receivers)
