"""``sojourn synth --out DIR``: write a synthetic registry as import files, with a manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sojourn.synth.registry import SCALES


class Command(BaseCommand):
    help = (
        "Write a synthetic dataset (units.csv, officials.csv, relatives.csv, posts.csv, documents.csv, "
        "watchlist.csv, trips.csv, custody.csv, the crossing feed as crossings/part-*.parquet — at the small "
        "scale also crossings.csv — and manifest.json) into DIR, deterministic for the seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory to write into")
        parser.add_argument("--scale", choices=tuple(SCALES), default="small", help="size of the dataset")
        parser.add_argument(
            "--officials", type=int, metavar="N", help="number of officials (default: by scale)"
        )
        parser.add_argument(
            "--crossings", type=int, metavar="N",
            help="number of crossing events in the feed (default: small 20,000, province 2,000,000, "
            "national 20,000,000)",
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        from sojourn.synth.dataset import generate_registry, write_registry

        for name in ("officials", "crossings"):
            if options[name] is not None and options[name] < 1:
                self.stderr.write(f"--{name} must be at least 1")
                raise SystemExit(2)
        started = time.perf_counter()
        dataset = generate_registry(
            scale=options["scale"], officials=options["officials"], seed=options["seed"],
            crossings=options["crossings"],
        )  # fmt: skip
        write_registry(dataset, Path(options["out"]))  # call_command passes a str
        counts = ", ".join(f"{n} {name}" for name, n in dataset.manifest["counts"].items())
        elapsed = time.perf_counter() - started
        self.stderr.write(f"wrote {counts} to {options['out']} in {elapsed:.1f} s", style_func=lambda s: s)
