"""sojourn demo: the main job — synthetic data, loaded and evaluated, then the web UI."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import IO, Any, cast

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from sojourn import conf
from sojourn.accounts.models import Role
from sojourn.accounts.services import create_user
from sojourn.alerts.evaluation import evaluate_rules
from sojourn.alerts.models import Finding
from sojourn.registry.models import Unit

REGISTRY_FILES = ("units", "officials", "relatives", "posts", "documents", "watchlist")


class Command(BaseCommand):
    help = "Build a synthetic dataset, load it, evaluate the rules, print a summary and serve the web UI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "province", "national"], default="small")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="stop after loading and evaluating")

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(file=cast(IO[str], self.stderr))
        call_command("migrate", verbosity=0)
        out = conf.data_dir() / "demo" / f"{opts['scale']}-{opts['seed']}"
        if not (out / "manifest.json").exists():
            console.print(f"[bold]Writing synthetic data[/] to {out}")
            call_command("synth", out=str(out), scale=opts["scale"], seed=opts["seed"])
        self._load(out, console)
        result = evaluate_rules(as_of=timezone.localdate(), actor="system:demo")
        console.print(f"Rules evaluated (ruleset {result.ruleset}): {result.stored.created} new findings")
        password = self._users(console)
        self._summary(console)
        console.print(f"\n[bold green]Web UI:[/] http://127.0.0.1:{opts['port']}/  —  demo logins "
                      f"(password [bold]{password}[/]): inspector, registrar, approver, auditor, admin")
        if not opts["no_serve"]:
            call_command("serve", port=opts["port"])

    def _load(self, out: Path, console: Console) -> None:
        from sojourn.custody.importing import import_documents_file
        from sojourn.registry.services import import_registry_file
        from sojourn.screening.importing import import_watchlist_file

        for kind in REGISTRY_FILES:
            path = out / f"{kind}.csv"
            if not path.exists():
                continue
            if kind == "documents":
                report = import_documents_file(path=path, actor="system:demo", progress=True)
            elif kind == "watchlist":
                report = import_watchlist_file(path=path, actor="system:demo", progress=True)
            else:
                report = import_registry_file(kind=kind, path=path, actor="system:demo", progress=True)
            if not report.ok:
                for error in report.errors[:20]:
                    console.print(str(error))
                raise CommandError(f"demo import of {path} failed", returncode=1)
            console.print(f"{kind}: {report.rows} rows, {report.created} created, {report.updated} updated, "
                          f"{report.unchanged} unchanged")

    def _users(self, console: Console) -> str:
        """Demo logins with a fresh password each run, printed once on screen."""
        password = "demo-" + secrets.token_urlsafe(9)
        root = Unit.objects.filter(parent__isnull=True).order_by("code").first()
        branch = Unit.objects.filter(parent=root).order_by("code").first() if root else None
        branch_code = branch.code if branch else None
        create_user(username="inspector", password=password, role=Role.INSPECTOR, unit_code=None, actor="system:demo")
        create_user(username="registrar", password=password, role=Role.REGISTRAR, unit_code=branch_code,
                    actor="system:demo")
        create_user(username="approver", password=password, role=Role.APPROVER, unit_code=branch_code,
                    actor="system:demo")
        create_user(username="auditor", password=password, role=Role.AUDITOR, unit_code=None, actor="system:demo")
        create_user(username="admin", password=password, role=Role.ADMIN, unit_code=None, actor="system:demo")
        return password

    def _summary(self, console: Console) -> None:
        from django.db.models import Count, Q

        from sojourn.alerts.models import FindingStatus
        from sojourn.core.rules import Severity

        table = Table(title="Findings by rule and severity")
        table.add_column("rule")
        table.add_column("severity")
        table.add_column("open", justify="right")
        table.add_column("all", justify="right")
        closed = Q(status__in=[FindingStatus.DISMISSED, FindingStatus.CONFIRMED])
        rows = (Finding.objects.values("code", "severity")
                .annotate(n=Count("id"), open_n=Count("id", filter=~closed)).order_by("-severity", "code"))
        for row in rows:
            table.add_row(row["code"], Severity(row["severity"]).label, str(row["open_n"]), str(row["n"]))
        console.print(table)
