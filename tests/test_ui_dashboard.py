"""The Dagster UI is the data-quality dashboard: against the DAGSTER_HOME and
warehouse of a real refresh (the session's ``refreshed`` fixture), the
webserver is started on 127.0.0.1, headless Chromium opens the asset-checks
view of seed 002's table, and what a person would see is checked against
``quality.check_results``: every check of the table listed with its verdict,
the failing ones as Failed, and a failing check's observed, expected and
deviation in its metadata. The screenshots are kept as test artefacts (in the
test's tmp folder, copied to $KLASTER_TEST_ARTIFACTS when that is set)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.reports.dagster_ui import asset_checks_url, running_webserver
from dagster_project.reports.headless_chromium import browser_page, chromium_binary
from tests.refresh_runner import copy_of_refreshed

pytestmark = pytest.mark.skipif(
    chromium_binary() is None,
    reason="no Chromium binary on PATH: install Debian's package (apt-get install -y chromium)",
)

CHECKED_TABLE = "s002_t1"
CHECKED_ASSET = ["raw", "seed_s002_t1"]
ARTIFACTS_ENV_VAR = "KLASTER_TEST_ARTIFACTS"
OPEN_METADATA_TABLE = """(() => {
  const links = [...document.querySelectorAll('*')]
    .filter(e => e.childElementCount === 0 && e.textContent.trim() === '[Show Markdown]');
  if (links.length !== 1) return links.length;
  links[0].click();
  return 1;
})()"""
DIALOG_TEXT = "(() => { const d = document.querySelector('[role=dialog]'); " \
              "return d ? d.innerText : ''; })()"


def _keep(path: Path) -> None:
    target = os.environ.get(ARTIFACTS_ENV_VAR)
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(target) / path.name)


def _listed_with(text: str, name: str, verdict: str) -> bool:
    """The checks list shows the name (the UI repeats it once for its tooltip)
    and, on the next line, the verdict of its latest execution."""
    return re.search(rf"(?m)^{name}\s*\n(?:{name}\s*\n)?{verdict}\s*$", text) is not None


def test_asset_checks_view_shows_the_checks_and_their_failures(refreshed: dict,
                                                               tmp_path: Path) -> None:
    result = refreshed["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with duckdb.connect(str(refreshed["published"]), read_only=True) as connection:
        verdicts = dict(connection.execute(
            "select check_name, bool_and(passed) from quality.check_results "
            "where table_id = ? group by check_name order by check_name", [CHECKED_TABLE],
        ).fetchall())
        failing = sorted(name for name, passed in verdicts.items() if not passed)
        assert failing, "seed 002's table carries known errors: some check must fail"
        shown = failing[0]
        instances = connection.execute(
            "select observed, expected, deviation from quality.check_results "
            "where table_id = ? and check_name = ? and not passed", [CHECKED_TABLE, shown],
        ).fetchall()

    # The webserver writes to its instance: it gets its own copy of the run history.
    own = copy_of_refreshed(refreshed, tmp_path / "refreshed")
    with (running_webserver(own["env"], tmp_path / "webserver.log") as base_url,
          browser_page(width=1600, height=1000) as page):
        page.open(asset_checks_url(base_url, CHECKED_ASSET, shown))
        text = page.wait_for_text([*verdicts, "observed_vs_expected"], timeout=90)
        _keep(page.screenshot(tmp_path / "dagster_asset_checks.png"))
        for name, passed in verdicts.items():
            assert _listed_with(text, name, "Succeeded" if passed else "Failed"), name

        # The failing instances, as the check's metadata table shows them.
        assert page.evaluate(OPEN_METADATA_TABLE) == 1
        values = [f"{v:g}" for instance in instances for v in instance]
        dialog = page.wait_for_text(["observed", "expected", "deviation", *values],
                                    timeout=20, expression=DIALOG_TEXT)
        _keep(page.screenshot(tmp_path / "dagster_check_observed_vs_expected.png"))
    assert dialog.startswith("observed_vs_expected")
