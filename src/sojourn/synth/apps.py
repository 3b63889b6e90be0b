from django.apps import AppConfig


class SynthConfig(AppConfig):
    """Registered only so that Django finds the ``synth`` management command; there are no models."""

    name = "sojourn.synth"
    verbose_name = "Synthetic data"
