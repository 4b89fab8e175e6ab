"""The screenshots committed under ``docs/screenshots``: what an analyst sees
in the Dagster UI (the asset-checks view of seed 002's table, and a failing
check's observed/expected/deviation table) and in the cluster report.

    python -m dagster_project.reports.screenshots [--out docs/screenshots] [--language en ...]

Reads the published warehouse and DAGSTER_HOME of a finished ``make run``
(the settings' environment); starts its own webserver on a free port."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from dagster_project import settings
from dagster_project.reports.build import REPORT_FILE, report_directory
from dagster_project.reports.dagster_ui import asset_checks_url, running_webserver
from dagster_project.reports.headless_chromium import browser_page
from dagster_project.reports.language import LANGUAGES

CHECKED_ASSET = ["raw", "seed_s002_t1"]
SHOWN_CHECK = "external_trade_identity"
REPORT_SECTIONS = ("validation", "cluster_bubbles", "multipliers", "template_loadings")
OPEN_METADATA_TABLE = """(() => {
  const links = [...document.querySelectorAll('*')]
    .filter(e => e.childElementCount === 0 && e.textContent.trim() === '[Show Markdown]');
  links.forEach(e => e.click());
  return links.length;
})()"""
SETTLE_SECONDS = 1.5  # plotly draws after the scroll; screenshots wait for it


def dagster_screenshots(out: Path, log: Path) -> list[Path]:
    env = {settings.WAREHOUSE_ENV_VAR: str(settings.published_warehouse_path()),
           "DAGSTER_HOME": os.environ.get("DAGSTER_HOME", str(settings.PROJECT_ROOT /
                                                              ".dagster_home"))}
    taken = []
    with (running_webserver(env, log) as base_url, browser_page(1600, 1000) as page):
        page.open(asset_checks_url(base_url, CHECKED_ASSET, SHOWN_CHECK))
        page.wait_for_text([SHOWN_CHECK, "Failed", "observed_vs_expected"], timeout=90)
        time.sleep(SETTLE_SECONDS)
        taken.append(page.screenshot(out / "dagster_asset_checks.png"))
        page.evaluate(OPEN_METADATA_TABLE)
        page.wait_for_text(["deviation", "tolerance"], timeout=20)
        time.sleep(SETTLE_SECONDS)
        taken.append(page.screenshot(out / "dagster_check_observed_vs_expected.png"))
    return taken


def report_screenshots(out: Path, language: str) -> list[Path]:
    report = report_directory(settings.published_warehouse_path(), language) / REPORT_FILE
    if not report.exists():
        raise FileNotFoundError(f"no report at {report}: run `make run` "
                                f"(KLASTER_LANGUAGE={language}) or reports.build first")
    taken = []
    with browser_page(1400, 900) as page:
        page.open(report.as_uri())
        page.wait_for_text(["003"], timeout=30)
        for section in REPORT_SECTIONS:
            page.evaluate(f"document.getElementById('{section}').scrollIntoView()")
            time.sleep(SETTLE_SECONDS)
            taken.append(page.screenshot(out / f"report_{section}_{language}.png"))
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.reports.screenshots",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=settings.PROJECT_ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=LANGUAGES, action="append",
                        help="report language(s) to photograph; default: en")
    parser.add_argument("--skip-dagster", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    taken = []
    if not args.skip_dagster:
        with tempfile.TemporaryDirectory(prefix="klaster-webserver-") as logs:
            taken += dagster_screenshots(args.out, Path(logs) / "webserver.log")
    for language in args.language or ["en"]:
        taken += report_screenshots(args.out, language)
    for path in taken:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
