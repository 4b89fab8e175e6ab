"""What every report section is made of, and the small HTML helpers they share."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from dagster_project.reports.captions import Captions

BUILT, NO_ROWS = "built", "no_rows"


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
