"""What every report section is made of, and the small HTML helpers they share."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib as mpl
import plotly.graph_objects as go
import plotly.io as pio
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import TICKDOWN, TICKLEFT, TICKRIGHT, TICKUP, Line2D

from dagster_project.reports.captions import Captions

BUILT, NO_ROWS = "built", "no_rows"
# zlib level of the charts' PNGs (Pillow's default is 6). Measured on the 26 PNGs
# of a report: level 3 encodes them in 1.0 s of CPU instead of 1.4 s, for 8 % more
# bytes (4.6 MB instead of 4.3 MB); the pixels are the same.
PNG_COMPRESS_LEVEL = 3


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    status: str = BUILT
    parts: list[str] = field(default_factory=list)  # HTML fragments, in order
    pngs: list[Path] = field(default_factory=list)
    fallback_labels: int = 0  # labels shown in English for want of the chosen language


def no_rows(section: Section, captions: Captions, tables: list[str]) -> Section:
    """The section says plainly which tables hold no rows for it and stops."""
    section.status = NO_ROWS
    section.parts = [f'<p class="unavailable">{esc(captions("no_rows", tables=", ".join(tables)))}</p>']
    return section


def esc(text: object) -> str:
    """HTML-escaped text; a missing value (None, or NaN from a pandas frame) is empty."""
    missing = text is None or (isinstance(text, float) and math.isnan(text))
    return html.escape("" if missing else str(text))


def label_html(text: str, fell_back: bool) -> str:
    """A label; in italics when it is the English stand-in for a missing one."""
    return f"<i>{esc(text)}</i>" if fell_back else esc(text)


def decimal_comma(language: str) -> bool:
    """Kazakh and Russian write 1,806 where English writes 1.806."""
    return language in ("kk", "ru")


def number(value: object, language: str, digits: int = 6) -> str:
    """A number as analysts of the language write it (decimal comma in kk/ru);
    empty for a missing value, never 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        text = f"{float(value):.{digits}g}"
    except (TypeError, ValueError):
        return str(value)
    return text.replace(".", ",") if decimal_comma(language) else text


def fixed(value: float, language: str, digits: int) -> str:
    """``value`` with ``digits`` decimals in the language's notation (chart labels)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if decimal_comma(language) else text


def figure_html(figure: go.Figure, div_id: str, language: str) -> str:
    """A figure as a fragment; plotly.js itself is inlined once by the page.
    Plotly's own number formatting follows the language (decimal separator)."""
    figure.update_layout(separators=", " if decimal_comma(language) else ".,")
    return pio.to_html(
        figure,
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def write_png(figure: Figure, path: Path, dpi: float = 100, **savefig_kwargs) -> Path:
    """Write ``figure`` as a PNG (zlib level ``PNG_COMPRESS_LEVEL``); the caller closes it."""
    figure.savefig(path, dpi=dpi, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL}, **savefig_kwargs)
    return path


# Tick marks by axis and direction, as matplotlib's XTick and YTick draw them.
_TICK_MARKS = {
    "x": {"out": TICKDOWN, "in": TICKUP, "inout": "|"},
    "y": {"out": TICKLEFT, "in": TICKRIGHT, "inout": "_"},
}


def draw_ticks(axes: Axes, name: str, ticks: list[tuple[float, str]], fontsize: float,
               labels: bool = True) -> None:
    """The major ticks ``(position, label)`` of ``axes``' x or y axis (``name``),
    drawn as matplotlib's Tick objects draw them (same place, font, colour, mark;
    the same pixels) without a Tick per tick: one line of marks and a text per
    label. A Tick is a text, two lines and a grid line, its properties copied
    from the first, of which only the label and one mark show; with 70-odd rows
    a chart, or a grid of twenty panels, they were a good part of its drawing
    time. The axis itself must make no ticks (an empty or null locator)."""
    rc = mpl.rcParams
    prefix = f"{name}tick"
    size, direction = rc[f"{prefix}.major.size"], rc[f"{prefix}.direction"]
    # As matplotlib's Tick: the label is padded by the part of the mark outside the axes.
    pad = rc[f"{prefix}.major.pad"] + size * {"in": 0.0, "out": 1.0, "inout": 0.5}[direction]
    colour = rc[f"{prefix}.color"]
    label_colour = colour if rc[f"{prefix}.labelcolor"] == "inherit" else rc[f"{prefix}.labelcolor"]
    locs = [loc for loc, _ in ticks]
    zeros = [0] * len(locs)
    if name == "x":
        axis, marks_at = axes.xaxis, (locs, zeros)
        line_transform = axes.get_xaxis_transform("tick1")
        text_transform, va, ha = axes.get_xaxis_text1_transform(pad)
    else:
        axis, marks_at = axes.yaxis, (zeros, locs)
        line_transform = axes.get_yaxis_transform("tick1")
        text_transform, va, ha = axes.get_yaxis_text1_transform(pad)
    axes.add_artist(Line2D(
        *marks_at, transform=line_transform, linestyle="none", marker=_TICK_MARKS[name][direction],
        color=colour, markeredgecolor=colour, markersize=size,
        markeredgewidth=rc[f"{prefix}.major.width"], zorder=axis.get_zorder(), clip_on=False))
    if labels:
        for loc, label in ticks:
            axes.text(*((loc, 0) if name == "x" else (0, loc)), label, transform=text_transform,
                      va=va, ha=ha, fontsize=fontsize, color=label_colour,
                      zorder=axis.get_zorder(), clip_on=False)


def draw_row_labels(axis: Axes, labels: list[str], fontsize: float) -> None:
    """The labels of rows 0, 1, ... of a chart and their tick marks, drawn as
    ``axis.set_yticks(range(n), labels, fontsize=...)`` draws them (``draw_ticks``)."""
    axis.set_yticks([])
    draw_ticks(axis, "y", list(enumerate(labels)), fontsize)


def wrap_text(text: str, width: int, joint: str = "\n") -> str:
    """Break ``text`` into lines of at most ``width`` characters, joined by
    ``joint`` (a newline for matplotlib, ``<br>`` for plotly)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return joint.join([*lines, line])


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")
