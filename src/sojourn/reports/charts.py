"""Charts of a report, drawn server-side with matplotlib (Agg backend) as SVG or PNG.

matplotlib is imported inside the functions here, never at module level: most commands and pages
draw no chart, and importing it costs a noticeable fraction of a second. Chinese labels need a
CJK font (fonts-noto-cjk or fonts-wqy-microhei); without one the chart is still drawn.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from sojourn.reports.framework import Report

CHART_FORMATS = ("svg", "png")
MAX_GROUPS = 25  # a chart of more bars than this is unreadable; it shows the largest groups
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Noto Serif CJK SC")
# One colour per series, in column order; readable in print and for the common colour blindnesses.
PALETTE = ("#3f6212", "#a16207", "#1f4e8c", "#c2410c", "#9b1c1c", "#6b7280", "#7c3aed", "#0e7490")


def chart_format(path: Path) -> str:
    """``svg`` or ``png`` from a file name; anything else is a ``ValueError``."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise ValueError(f"a chart is written as .svg or .png, not {path.name!r}")
    return fmt


def write_chart(report: Report, path: Path) -> None:
    path.write_bytes(chart_bytes(report, chart_format(path)))


def chart_bytes(report: Report, fmt: str = "svg") -> bytes:
    """A horizontal stacked bar per row over the report's charted numeric columns."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    if report.chart == "line":
        from sojourn.reports.trend_chart import line_chart_bytes

        return line_chart_bytes(report, fmt)
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    series = [c for c in report.numeric_columns if c.charted]
    label_key = report.label_column.key
    rows = report.rows
    if len(rows) > MAX_GROUPS:
        rows = sorted(rows, key=lambda r: -sum(int(r.get(c.key) or 0) for c in series))[:MAX_GROUPS]
    labels = [str(r.get(label_key, "")) for r in rows][::-1]
    height = 1.6 + 0.38 * max(len(rows), 1)
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(9.0, height), layout="constrained")
        ax = fig.add_subplot()
        left = [0.0] * len(rows)
        for i, column in enumerate(series):
            values = [float(r.get(column.key) or 0) for r in rows][::-1]
            ax.barh(labels, values, left=left, label=column.text, color=PALETTE[i % len(PALETTE)])
            left = [a + b for a, b in zip(left, values, strict=True)]
        title = str(report.title)
        if len(rows) < len(report.rows):
            title += f" (top {len(rows)} of {len(report.rows)})"
        ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if series and rows:
            fig.legend(loc="outside lower center", ncols=min(len(series), 6), frameon=False)
        out = io.BytesIO()
        fig.savefig(out, format=fmt, dpi=110, metadata=_metadata(fmt))
    return out.getvalue()


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date in the file, so the same report draws the same bytes.
    return {"Date": None} if fmt == "svg" else {}


def _style() -> Any:  # matplotlib types rc keys as a Literal union; these are valid keys
    return {"font.family": "sans-serif", "font.sans-serif": [*cjk_fonts(), "DejaVu Sans"],
            "svg.fonttype": "path", "svg.hashsalt": "sojourn", "font.size": 9}


@cache
def cjk_fonts() -> tuple[str, ...]:
    """The CJK fonts matplotlib can find on this machine, best first (none is fine)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_FONTS if name in installed)
