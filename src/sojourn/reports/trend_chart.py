"""A line chart of a report whose rows are in time order (the findings trend by month)."""

from __future__ import annotations

import io

from sojourn.reports.charts import PALETTE, _metadata, _style
from sojourn.reports.framework import Report

MAX_TICKS = 24  # label at most this many months on the x axis


def line_chart_bytes(report: Report, fmt: str = "svg") -> bytes:
    """One line per charted numeric column over the rows, in row order."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    series = [c for c in report.numeric_columns if c.charted]
    labels = [str(r.get(report.label_column.key, "")) for r in report.rows]
    positions = list(range(len(labels)))
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(9.0, 4.2), layout="constrained")
        ax = fig.add_subplot()
        for i, column in enumerate(series):
            values = [float(r.get(column.key) or 0) for r in report.rows]
            ax.plot(positions, values, marker="o", markersize=3, label=column.text, color=PALETTE[i % len(PALETTE)])
        step = max(1, -(-len(labels) // MAX_TICKS))
        ax.set_xticks(positions[::step], labels[::step], rotation=45, ha="right")
        ax.set_title(str(report.title))
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        if series and report.rows:
            fig.legend(loc="outside lower center", ncols=min(len(series), 6), frameon=False)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=110, metadata=_metadata(fmt))
    return out.getvalue()
