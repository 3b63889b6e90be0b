"""Load a written synthetic dataset through the same import paths a user's files take."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sojourn.audit.services import Actor

# In dependency order: documents before the custody history and the trips that name them.
FILES = ("units", "officials", "relatives", "posts", "duties", "documents", "custody", "trips", "declarations", "assets",
         "watchlist")


class LoadError(Exception):
    """An import of the dataset reported problems (the dataset and the importers disagree)."""


def load_dataset(out: Path, *, actor: Actor, progress: bool = False,
                 say: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Import every file of the dataset in ``out``; the crossing feed (``crossings/``) last. Returns counts."""
    from sojourn.crossings.services import import_crossings_file
    from sojourn.custody.importing import import_custody_file, import_documents_file
    from sojourn.declarations.importing import import_assets_file, import_declarations_file
    from sojourn.registry.services import import_registry_file
    from sojourn.screening.importing import import_watchlist_file
    from sojourn.travel.importing import import_trips_file

    importers: dict[str, Callable[..., Any]] = {
        "documents": import_documents_file, "custody": import_custody_file, "trips": import_trips_file,
        "watchlist": import_watchlist_file, "declarations": import_declarations_file, "assets": import_assets_file,
    }
    counts: dict[str, Any] = {}
    for kind in FILES:
        path = out / f"{kind}.csv"
        if not path.exists():
            continue
        importer = importers.get(kind)
        if importer is None:
            report = import_registry_file(kind=kind, path=path, actor=actor, progress=progress)
        else:
            report = importer(path=path, actor=actor, progress=progress)
        if not report.ok:
            raise LoadError(f"import of {path} failed: " + "; ".join(str(e) for e in report.errors[:5]))
        counts[kind] = report.rows
        if say:
            say(f"{kind}: {report.rows} rows, {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged")
    feed = out / "crossings"
    if feed.is_dir():
        ingest = import_crossings_file(path=feed, actor=actor)
        if ingest.rejected:
            raise LoadError(f"{ingest.rejected} crossings rejected; see {ingest.reject_file}")
        counts["crossings"] = ingest.read
        if say:
            say(f"crossings: {ingest.read} rows, {ingest.stored} stored"
                + (" (already in the store)" if ingest.already_ingested else ""))
    return counts
