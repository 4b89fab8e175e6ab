"""``klaster add-release FILE``: next year's BNS release in one step.

For each file: inspect it (format from the bytes, sheets and their sizes),
find the known layout it fits, write its manifest entry into
``data/raw/kazakhstan_bns/manifest.yml`` (copying the file there if it lives
elsewhere) and dry-run it: what would be loaded, what quarantined and which
checks would fail. The dry run reads into memory only; the published
warehouse is never opened.

How a layout is recognised: every manifest entry already shipped is a
*template* (its layout and layout parameters: sheet names, header rows,
measures...). A candidate entry is the template with this file's name and
checksum; the template's reader reads the file with it. The layout fits when
the reader accepts the file, keeps published figures and quarantines at most
``MAX_QUARANTINED_SHARE`` of the cells it does not call labels. Trying the
readers themselves (rather than comparing sheet names) means a file is
recognised exactly when it would load, and an odd file says which reader
refused it and why. Of several fitting templates the one quarantining least
(then loading most) wins, so the entry gets the parameters of the closest
release.
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dagster_project import settings
from dagster_project.ingestion.bns.layouts import LAYOUTS, LOADER, ReaderContext, layout_module
from dagster_project.ingestion.bns.release import LOADED, QUARANTINED, LayoutResult
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import MANIFEST_NAME, ManifestEntry, _entry, load_manifest
from dagster_project.ingestion.workbook import Workbook, detect_format, open_workbook
from dagster_project.quality.release_checks import ReleaseSuite
from dagster_project.quality.suites import SCHEMA_CHECK

DATASET = "kazakhstan_bns"
# A fitting layout leaves almost every non-label cell usable; a wrong layout
# quarantines most of them (or refuses the file outright).
MAX_QUARANTINED_SHARE = 0.05
TODO = "TODO"
FAILURES_SHOWN = 10  # failing instances printed per check by the dry run
# Keys of a manifest entry that describe the release rather than tell the
# reader how to read it: they are not copied from the template.
_RELEASE_KEYS = {"raw_table", "file", "sha256", "title", "period", "origin", "notes", "format_note",
                 "territorial_basis", "needs_review"}

Say = Callable[[str], None]


@dataclass
class Fit:
    template: str  # raw_table of the template entry
    layout: str
    entry: ManifestEntry | None = None
    raw: dict[str, Any] | None = None  # the candidate manifest entry as written
    result: LayoutResult | None = None
    error: str | None = None

    @property
    def quarantined_share(self) -> float:
        if self.result is None:
            return 1.0
        counts = self.result.counts
        figures = counts[LOADED] + counts[QUARANTINED]
        return counts[QUARANTINED] / figures if figures else 1.0

    @property
    def fits(self) -> bool:
        return (self.result is not None and self.result.counts["facts"] > 0
                and self.quarantined_share <= MAX_QUARANTINED_SHARE)

    def summary(self) -> str:
        if self.result is None:
            return f"{self.template} ({self.layout}): does not fit: {self.error}"
        c = self.result.counts
        verdict = "fits" if self.fits else "does not fit"
        return (f"{self.template} ({self.layout}): {verdict}: {c['facts']} facts, {c[QUARANTINED]} cells "
                f"quarantined ({self.quarantined_share:.1%} of figures), {c['ignored']} ignored")


def dataset_dir() -> Path:
    return settings.RAW_DIR / DATASET


def _manifest_document(directory: Path) -> dict[str, Any]:
    return yaml.safe_load((directory / MANIFEST_NAME).read_text(encoding="utf-8"))


def default_raw_table(file_name: str, taken: set[str]) -> str:
    """``bns_`` + the file's stem as an identifier, made unique."""
    stem = re.sub(r"[^0-9a-z]+", "_", Path(file_name).stem.lower()).strip("_")
    base = stem if stem.startswith("bns_") else f"bns_{stem}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def candidate(template: dict[str, Any], file_name: str, sha256: str, raw_table: str) -> dict[str, Any]:
    """The template's layout and parameters with this file's identity."""
    raw = {"raw_table": raw_table, "file": file_name, "sha256": sha256}
    raw.update({k: copy.deepcopy(v) for k, v in template.items() if k not in _RELEASE_KEYS})
    if "territorial_basis" in template:
        # back_cast_to is a reading parameter (the reader marks back-casts with it).
        raw["territorial_basis"] = copy.deepcopy(template["territorial_basis"])
    return raw


def try_templates(workbook: Workbook, path: Path, sha256: str, raw_table: str,
                  templates: list[dict[str, Any]], context: ReaderContext, say: Say) -> list[Fit]:
    """Read the workbook with every template's reader and parameters. Entries
    are placed in the dataset folder (where readers find their auxiliary files);
    the reader gets the workbook already open, wherever the file is."""
    directory = dataset_dir()
    fits, tried = [], set()
    for template in templates:
        raw = candidate(template, path.name, sha256, raw_table)
        signature = yaml.safe_dump({k: v for k, v in raw.items() if k not in ("raw_table", "file")})
        if signature in tried:
            continue  # same layout and parameters as a template already tried
        tried.add(signature)
        fit = Fit(template=str(template["raw_table"]), layout=str(template.get("layout")), raw=raw)
        try:
            fit.entry = _entry(DATASET, directory, raw, directory / MANIFEST_NAME)
            fit.result = layout_module(fit.entry).read(fit.entry, workbook, context)
        except NotImplementedError as exc:
            fit.error = f"reader not available ({exc})"
        except RawFileError as exc:
            fit.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a probe: a reader that breaks on this file does not fit it
            fit.error = f"the reader failed: {type(exc).__name__}: {exc}"
        say(f"    {fit.summary()}")
        fits.append(fit)
    return fits


def best_fit(fits: list[Fit]) -> Fit | None:
    fitting = [f for f in fits if f.fits]
    if not fitting:
        return None
    return min(fitting, key=lambda f: (f.quarantined_share, -f.result.counts[LOADED]))


def describe_period(facts: pd.DataFrame) -> str:
    """'2001–2025; periods Q1, Q2, Q3, Q4, year' as the facts read."""
    years = facts["year"].dropna().astype(int) if "year" in facts.columns else pd.Series(dtype=int)
    if years.empty:
        return TODO
    span = f"{years.min()}–{years.max()}" if years.min() != years.max() else str(years.min())
    if "period" not in facts.columns:  # input-output cells: one year
        return span
    periods = sorted(str(p) for p in facts["period"].dropna().unique())
    return f"{span}; periods {', '.join(periods)}" if periods else span


def describe_territory(facts: pd.DataFrame) -> str:
    """How many regions (КАТО units besides the republic) each run of years shows."""
    regions = facts[facts["region_code"].notna() & (facts["region_code"] != "TOTAL")]
    if regions.empty:
        return "no regions (republic only)"
    per_year = regions.groupby("year")["region_code"].nunique().sort_index()
    runs: list[tuple[int, int, int]] = []
    for year, count in per_year.items():
        if runs and runs[-1][2] == count and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], int(year), int(count))
        else:
            runs.append((int(year), int(year), int(count)))
    text = "; ".join(f"{a}–{b}: {n} units" if a != b else f"{a}: {n} units" for a, b, n in runs)
    back_cast = regions[regions["back_cast"].fillna(False).astype(bool)]
    if not back_cast.empty:
        text += f"; back-cast years {int(back_cast['year'].min())}–{int(back_cast['year'].max())}"
    return text


def manifest_entry(fit: Fit, template: dict[str, Any], source: Path) -> dict[str, Any]:
    """The entry to write: the candidate plus what was read, TODOs for provenance."""
    facts = fit.result.facts
    raw = dict(fit.raw)
    raw["title"] = {"en": f"{TODO}: title as printed on the release (template: {fit.template})"}
    raw["period"] = describe_period(facts)
    raw["origin"] = {"url": f"{TODO}: where the file was downloaded", "retrieved": f"{TODO}: date",
                     "collected_via": f"klaster add-release {source.name}"}
    raw["needs_review"] = ["title", "origin"]
    if "region_code" in facts.columns:  # observations by region (not input-output cells)
        basis = dict(raw.get("territorial_basis") or {})
        basis["basis"] = f"{TODO}: confirm (copied from {fit.template}): {basis.get('basis', '')}"
        basis["as_read"] = describe_territory(facts)
        raw["territorial_basis"] = basis
        raw["needs_review"].append("territorial_basis.basis")
    return raw


def append_entry(manifest: Path, raw: dict[str, Any]) -> None:
    """Append one entry to the ``files:`` list, keeping the file's comments and
    the list's indentation; the manifest is restored if the result does not load
    or does not end with the new entry."""
    original = manifest.read_text(encoding="utf-8")
    lines = original.splitlines()
    files_at = next(i for i, line in enumerate(lines) if line.startswith("files:"))
    if any(re.match(r"^[A-Za-z_]", line) for line in lines[files_at + 1:]):
        raise RawFileError(str(manifest), "files: is not the last key; add the entry by hand")
    indent = next((m.group(1) for line in lines[files_at + 1:] if (m := re.match(r"^(\s*)- ", line))), "  ")
    dumped = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    block = [f"{indent}# added by klaster add-release on {datetime.now(UTC):%Y-%m-%d}; fill in the TODOs"]
    for n, line in enumerate(dumped.splitlines()):
        block.append(indent + ("- " if n == 0 else "  ") + line)
    manifest.write_text(original.rstrip("\n") + "\n" + "\n".join(block) + "\n", encoding="utf-8")
    try:
        entries = load_manifest(manifest.parent)
        if entries[-1].raw_table != raw["raw_table"]:
            raise RawFileError(str(manifest), "the appended entry did not become the last entry of files:")
    except RawFileError:
        manifest.write_text(original, encoding="utf-8")
        raise


def _year_runs(counts: pd.Series) -> str:
    """{2001: 68, 2002: 68, 2003: 70} -> '2001–2002: 68 each; 2003: 70'."""
    runs: list[list[int]] = []
    for year, n in counts.sort_index().items():
        if runs and runs[-1][2] == n and runs[-1][1] == year - 1:
            runs[-1][1] = int(year)
        else:
            runs.append([int(year), int(year), int(n)])
    return "; ".join(f"{a}–{b}: {n} each" if a != b else f"{a}: {n}" for a, b, n in runs)


def dry_run(result: LayoutResult, entry: ManifestEntry, say: Say) -> bool:
    """Say what would be loaded, quarantined and which checks would fail;
    False when the blocking schema check fails."""
    counts = result.counts
    facts = result.facts
    say(f"  Cells read {counts['cells_read']} = loaded {counts[LOADED]} + quarantined {counts[QUARANTINED]}"
        f" + ignored {counts['ignored']}; would load {counts['facts']} facts into raw.{entry.raw_table}")
    if "measure" in facts.columns and "year" in facts.columns:
        gaps = facts["value"].isna().sum()
        for measure, rows in facts.groupby("measure", dropna=False):
            say(f"    {measure}: {len(rows)} facts ({_year_runs(rows.groupby('year').size())})")
        say(f"    of which {gaps} gaps (gap marker kept, value NULL)")
    else:
        for table, rows in facts.groupby("table_code", dropna=False):
            say(f"    {table}: {len(rows)} cells")
    if not result.rejected.empty:
        reasons = result.rejected["reason"].str.replace(r"^.*?, cell [A-Z]+\d+: ", "", regex=True)
        say(f"  Would quarantine {len(result.rejected)} cells (quality.rejected_rows):")
        for reason, n in reasons.value_counts().items():
            first = result.rejected.loc[reasons == reason, "reason"].iloc[0]
            say(f"    {n} x {reason}  (first: {first.split(': ')[0]})")
    module = layout_module(entry)
    outcome = ReleaseSuite(tuple(module.KEY_COLUMNS), tuple(module.CHECKS)).validate(facts, entry)
    rows = pd.DataFrame(outcome.rows)
    failed = rows[~rows["passed"].astype(bool)]
    say(f"  Checks: {len(rows)} instances of {rows['check_name'].nunique()} checks, {len(failed)} would fail")
    for check, instances in failed.groupby("check_name", sort=True):
        say(f"    {check}: {len(instances)} of {(rows['check_name'] == check).sum()} instances fail")
        for row in instances.head(FAILURES_SHOWN).itertuples():
            cells = ", ".join(row.involved_cells[:4]) + (" ..." if len(row.involved_cells) > 4 else "")
            say(f"      FAIL {row.reason or row.description}" + (f" [cells {cells}]" if cells else ""))
        if len(instances) > FAILURES_SHOWN:
            say(f"      ... and {len(instances) - FAILURES_SHOWN} more (all in quality.check_results after a refresh)")
    return not (failed["check_name"] == SCHEMA_CHECK).any()


def add_release(paths: list[Path], write: bool = True, raw_table: str | None = None,
                say: Say = print) -> int:
    """The command; 0 when every file fits a layout and passes the blocking check."""
    directory = dataset_dir()
    document = _manifest_document(directory)
    templates = [f for f in document["files"] if f.get("loader") == LOADER and f.get("layout") in LAYOUTS]
    context = ReaderContext.from_settings()
    status = 0
    for number, path in enumerate(paths, start=1):
        say(f"[{number}/{len(paths)}] {path}")
        try:
            status |= _add_one(Path(path), directory, templates, context, write, raw_table, say)
        except RawFileError as exc:
            say(f"  Refused: {exc}")
            status = 1
        document = _manifest_document(directory)
        templates = [f for f in document["files"] if f.get("loader") == LOADER and f.get("layout") in LAYOUTS]
    return status


def _add_one(path: Path, directory: Path, templates: list[dict[str, Any]], context: ReaderContext,
             write: bool, raw_table: str | None, say: Say) -> int:
    data = path.read_bytes() if path.is_file() else b""
    if not data and not path.is_file():
        raise RawFileError(str(path), "no such file")
    sha256 = hashlib.sha256(data).hexdigest()
    kind = detect_format(data, path.name)
    say(f"  Format from the bytes: {kind}" + (f" (the name says {path.suffix})" if path.suffix.lstrip('.') != kind
                                               else "") + f"; sha256 {sha256}")
    workbook = open_workbook(path, f"{DATASET}/{path.name}", sha256)
    for name, sheet in workbook.sheets.items():
        cells = sum(1 for _ in sheet.non_empty())
        say(f"  Sheet {name.strip()!r}: {sheet.max_row} rows x {sheet.max_column} columns, {cells} non-blank cells")
    same_name = [f for f in templates if f["file"] == path.name]
    same_bytes = [f["raw_table"] for f in templates if str(f["sha256"]).lower() == sha256]
    if same_bytes:
        say(f"  Note: the bytes are identical to the release already declared as {same_bytes}")
    if same_name and write:
        say(f"  {path.name} is already declared as {same_name[0]['raw_table']}: nothing written (dry run only)")
        write = False
    table = raw_table or default_raw_table(path.name, {str(f["raw_table"]) for f in templates})
    say(f"  Trying the {len(LAYOUTS)} known layouts with the parameters of the {len(templates)} shipped releases:")
    fits = try_templates(workbook, path, sha256, table, templates, context, say)
    fit = best_fit(fits)
    if fit is None:
        say("  No known layout fits this file: nothing written. A new layout needs a reader in "
            "dagster_project/ingestion/bns/ and an entry in layouts.py.")
        return 1
    template = next(f for f in templates if f["raw_table"] == fit.template)
    say(f"  Layout {fit.layout} with the parameters of {fit.template}")
    raw = manifest_entry(fit, template, path)
    say(f"  Period as read: {raw['period']}"
        + (f"; regions as read: {raw['territorial_basis']['as_read']}" if "territorial_basis" in raw else ""))
    target = directory / path.name
    if write:
        if target.resolve() != path.resolve():
            if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != sha256:
                raise RawFileError(str(target), "a different file of that name is already in the raw folder")
            shutil.copy2(path, target)
            say(f"  Copied to {target}")
        append_entry(directory / MANIFEST_NAME, raw)
        say(f"  Manifest entry {table} written to {directory / MANIFEST_NAME} (fill in: "
            f"{', '.join(raw['needs_review'])})")
    else:
        say("  --no-write: manifest left unchanged; the entry would be:")
        for line in yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100).splitlines():
            say(f"    {line}")
    say("  Dry run (in memory; the published warehouse is not opened):")
    entry = _entry(DATASET, directory, raw, directory / MANIFEST_NAME)
    result = layout_module(entry).read(entry, workbook, context)
    return 0 if dry_run(result, entry, say) else 1
