"""The one cached ``DbtProject``. Its manifest is produced by ``make manifest``
(``dbt parse``) before Dagster loads, never at import time; ``dagster dev``
re-parses through ``prepare_if_dev`` while models are being edited."""

from __future__ import annotations

import os

from dagster_dbt import DbtProject

from dagster_project import settings

# The dbt profile reads the same variable; default it here so a dbt subprocess
# started by Dagster resolves exactly the warehouse Dagster's resources use.
os.environ.setdefault(settings.WAREHOUSE_ENV_VAR, str(settings.published_warehouse_path()))

klaster_dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
    target="build",
)
klaster_dbt_project.prepare_if_dev()
