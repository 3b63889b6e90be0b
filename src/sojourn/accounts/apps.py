from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "sojourn.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from sojourn.accounts.roles import ensure_roles

        # Runs after every app migrates, so permissions declared by later apps are found.
        post_migrate.connect(ensure_roles, dispatch_uid="sojourn.ensure_roles")
