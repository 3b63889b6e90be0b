from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "sojourn.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from sojourn.screening.services import connect_signals

        connect_signals()
