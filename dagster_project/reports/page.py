"""The report as one self-contained HTML file: plotly.js is inlined, so the
file opens from disk in any browser with no server and no network."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.offline

from dagster_project.reports.captions import Captions
from dagster_project.reports.sections.base import BUILT, Section, esc

STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; margin: 0 auto;
       max-width: 1280px; padding: 0 24px 48px; color: #1d1d1f; }
header { border-bottom: 3px solid #1f5f8b; margin-bottom: 12px; }
h1 { font-size: 26px; margin: 22px 0 6px; }
h2 { font-size: 21px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 15px; margin: 22px 0 4px; color: #333; }
p.honesty { background: #fff6e0; border-left: 4px solid #e69138; padding: 8px 12px; }
p.unavailable { background: #f3f3f3; border-left: 4px solid #999; padding: 8px 12px; }
p.built { color: #555; font-size: 13px; }
nav ol { columns: 2; font-size: 14px; }
nav .status { color: #777; font-size: 12px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 16px; }
th, td { border: 1px solid #d0d0d0; padding: 4px 6px; vertical-align: top; }
th { background: #eef3f7; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.failed { color: #b00; font-weight: bold; }
tr.failed-check td { background: #fff4f4; }
td.reason { font-size: 11px; color: #444; max-width: 380px; }
details.computed-templates { margin: 8px 0; }
details.computed-templates summary { cursor: pointer; font-weight: bold; color: #1f5f8b; }
footer { margin-top: 40px; border-top: 1px solid #ccc; font-size: 12.5px; color: #444; }
"""


def render_page(sections: Sequence[Section], captions: Captions, built_at: str, warehouse: str,
                tables_read: dict[str, int]) -> str:
    fallbacks = sum(s.fallback_labels for s in sections)
    header = [
        f"<h1>{esc(captions('report_title'))}</h1>",
        f"<p class=\"built\">{esc(captions('built_from', warehouse=warehouse, built_at=built_at))}</p>",
        f"<p class=\"honesty\">{esc(captions('honesty_note'))}</p>",
    ]
    if fallbacks:
        header.append(f"<p class=\"fallback\">{esc(captions('language_fallback_note', count=fallbacks))}</p>")
    contents = "".join(
        f"<li><a href=\"#{s.key}\">{esc(s.title)}</a>"
        + ("" if s.status == BUILT else f" <span class=\"status\">({esc(s.status)})</span>")
        + "</li>"
        for s in sections
    )
    body = "".join(
        f"<section id=\"{s.key}\" data-status=\"{s.status}\"><h2>{esc(s.title)}</h2>"
        f"<p class=\"intro\">{esc(s.intro)}</p>{''.join(s.parts)}</section>"
        for s in sections
    )
    read = "".join(f"<li><code>{esc(name)}</code> — {rows} {esc(captions('rows'))}</li>"
                   for name, rows in sorted(tables_read.items()))
    footer = (
        f"<h3>{esc(captions('tables_read'))}</h3><ul>{read}</ul>"
        f"<p>{esc(captions('provenance_note'))}</p>"
    )
    return (
        f"<!DOCTYPE html>\n<html lang=\"{esc(captions.language)}\"><head><meta charset=\"utf-8\">"
        f"<title>{esc(captions('report_title'))}</title><style>{STYLE}</style>"
        f"<script type=\"text/javascript\">{plotly.offline.get_plotlyjs()}</script></head>"
        f"<body><header>{''.join(header)}</header>"
        f"<nav><h2>{esc(captions('contents'))}</h2><ol>{contents}</ol></nav>"
        f"{body}<footer>{footer}</footer></body></html>\n"
    )
