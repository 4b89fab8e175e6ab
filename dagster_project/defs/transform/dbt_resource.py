"""The dbt resource of the refresh: dagster-dbt's ``DbtCliResource`` without
two things it does at every dbt step that klaster pays for and never uses.

- ``dbt --version`` in a subprocess (about 3 s, once per run) to learn which
  dbt the executable is. The executable is this environment's own dbt-core
  (``dbt_executable`` below), whose version dagster-dbt has already imported.
- A dbt adapter opened inside the Dagster process (about 1.3 s per step, for
  reading profile, project and macros) that serves only dagster-dbt's
  ``fetch_row_counts`` and ``fetch_column_metadata``. klaster uses neither:
  DuckDB allows one writer, so ``row_counts.py`` reads the counts itself once
  dbt has exited.

Both overrides replace private members of ``DbtCliResource``;
``tests/test_definitions.py`` fails if dagster-dbt renames them (the
overrides would then quietly stop saving anything).
"""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION
from packaging.version import Version

from dagster_project.defs.transform.project import klaster_dbt_project

# The members of DbtCliResource replaced here (the test checks they exist).
REPLACED_MEMBERS = ("_cli_version", "_initialize_dbt_core_adapter")


class KlasterDbtCliResource(DbtCliResource):
    """``DbtCliResource`` running this environment's dbt, with no in-process adapter."""

    @cached_property
    def _cli_version(self) -> Version:
        # dbt_executable is the dbt of this interpreter's environment (below),
        # so its version is the installed dbt-core's.
        return DBT_PYTHON_VERSION

    def _initialize_dbt_core_adapter(self, args):
        return None


# The dbt of this interpreter's environment, so no activated venv or PATH is
# needed: `klaster-dbt`, dbt's command line with a faster exit
# (dagster_project/dbt_process.py).
dbt_resource = KlasterDbtCliResource(
    project_dir=klaster_dbt_project, dbt_executable=str(Path(sys.executable).parent / "klaster-dbt")
)
