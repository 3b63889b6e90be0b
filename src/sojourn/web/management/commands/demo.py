"""sojourn demo: the main job — synthetic data, loaded and evaluated, then the web UI."""

from __future__ import annotations

import json
import os
import secrets
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from sojourn import conf
from sojourn.accounts.models import Role
from sojourn.accounts.services import create_user
from sojourn.alerts.models import Finding
from sojourn.crossings.services import reconcile
from sojourn.registry.models import Unit


class Command(BaseCommand):
    help = ("Build a synthetic dataset, load it, reconcile its crossing feed, print a summary of findings and the "
            "holiday non-returns, and serve the web UI.")

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
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        self._load(out, console)
        # The synthetic world has its own "today"; the reports and the web UI judge at that date too.
        as_of = date.fromisoformat(manifest["as_of"])
        os.environ.setdefault("SOJOURN_AS_OF", as_of.isoformat())
        holiday = manifest.get("holiday")
        if holiday:
            os.environ.setdefault("SOJOURN_HOLIDAY_WINDOW", f"{holiday['from']}..{holiday['to']}")
        with console.status("Reconciling the crossing feed…"):
            result = reconcile(as_of=as_of, actor="system:demo")
        console.print(f"Reconciled as of {as_of}: {result.matched} crossings of covered officials, "
                      f"{result.journeys} journeys; {result.evaluation.stored.created} new findings "
                      f"(ruleset {result.evaluation.ruleset})")
        self._resolve(console, as_of)
        self._verify(console, manifest, opts["seed"])
        password = self._users(console)
        self._summary(console)
        if holiday:
            self._non_returns(console, holiday, as_of)
        console.print(f"\n[bold green]Web UI:[/] http://127.0.0.1:{opts['port']}/  —  demo logins "
                      f"(password [bold]{password}[/]): inspector, registrar, approver, auditor, admin")
        if not opts["no_serve"]:
            call_command("serve", port=opts["port"])

    def _resolve(self, console: Console, as_of: date) -> None:
        from sojourn.resolution.services import resolve

        with console.status("Resolving identities…"):
            linked = resolve(actor="system:demo", today=as_of)
        found = ", ".join(f"{code} {n}" for code, n in sorted(linked.by_code.items())) or "nothing to flag"
        console.print(f"Resolved identities ({linked.mode}): {linked.records} records, {linked.pairs} linked pairs, "
                      f"{linked.clusters} persons with two or more records; {found}; "
                      f"{linked.stored.created} new findings")

    def _verify(self, console: Console, manifest: dict[str, Any], seed: int) -> None:
        """Verify the synthetic year's declarations: the seeded 10 % sample and the targeted ones."""
        from sojourn.declarations.services import run_verification

        year = manifest.get("anomalies", {}).get("declarations", {}).get("year")
        if year:
            run = run_verification(year=int(year), actor="system:demo", seed=seed)
            console.print(f"Verified {len(run.verifications)} of {run.sample.population} declarations for {year} "
                          f"(seed {run.sample.seed}): {run.counts['concealment']} concealment, "
                          f"{run.counts['omission']} omission")

    def _load(self, out: Path, console: Console) -> None:
        from sojourn.synth.loading import LoadError, load_dataset

        try:
            load_dataset(out, actor="system:demo", progress=True, say=console.print)
        except LoadError as exc:
            raise CommandError(f"demo import failed: {exc}", returncode=1) from None

    def _non_returns(self, console: Console, holiday: dict[str, Any], as_of: date) -> None:
        from sojourn.crossings.models import Journey
        from sojourn.reports.nonreturns import Params, Window, non_returns
        from sojourn.reports.render import rich_table

        window = Window(date.fromisoformat(holiday["from"]), date.fromisoformat(holiday["to"]))
        report = non_returns(Journey.objects.all(), Params(window, as_of, by="rank"))
        table = rich_table(report)
        table.title = f"Non-returns, holiday window {window} (as of {as_of}), by rank"
        Console(file=console.file, width=max(console.width, 120)).print(table)

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
        closed = Q(status__in=[FindingStatus.DISMISSED, FindingStatus.CONFIRMED, FindingStatus.RESOLVED])
        rows = (Finding.objects.values("code", "severity")
                .annotate(n=Count("id"), open_n=Count("id", filter=~closed)).order_by("-severity", "code"))
        for row in rows:
            table.add_row(row["code"], Severity(row["severity"]).label, str(row["open_n"]), str(row["n"]))
        console.print(table)
