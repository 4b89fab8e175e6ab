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
from matplotlib.lines import TICKLEFT, TICKRIGHT, Line2D

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


def draw_row_labels(axis: Axes, labels: list[str], fontsize: float) -> None:
    """The labels of rows 0, 1, ... of a chart, and their tick marks, drawn exactly
    as ``axis.set_yticks(range(n), labels, fontsize=...)`` draws them (same place,
    font, colour, mark; the same pixels), without a Tick object per row: each is
    a text, two lines and a grid line, its properties copied from the first, of
    which only the label and one mark show. With 70-odd rows a chart that cost
    a good part of its drawing time."""
    axis.set_yticks([])
    rc = mpl.rcParams
    size, direction = rc["ytick.major.size"], rc["ytick.direction"]
    # As matplotlib's YTick: the label is padded by the part of the mark outside the axes.
    pad = rc["ytick.major.pad"] + size * {"in": 0.0, "out": 1.0, "inout": 0.5}[direction]
    transform, va, ha = axis.get_yaxis_text1_transform(pad)
    colour = rc["ytick.color"] if rc["ytick.labelcolor"] == "inherit" else rc["ytick.labelcolor"]
    for row, label in enumerate(labels):
        axis.text(0, row, label, transform=transform, va=va, ha=ha, fontsize=fontsize,
                  color=colour, clip_on=False)
    axis.add_artist(Line2D(
        [0] * len(labels), range(len(labels)), transform=axis.get_yaxis_transform("tick1"),
        linestyle="none", marker={"out": TICKLEFT, "in": TICKRIGHT, "inout": "_"}[direction],
        color=rc["ytick.color"], markeredgecolor=rc["ytick.color"], markersize=size,
        markeredgewidth=rc["ytick.major.width"], zorder=axis.yaxis.get_zorder(), clip_on=False))


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
