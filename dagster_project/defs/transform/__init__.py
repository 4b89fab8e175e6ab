"""dbt models (staging -> intermediate -> marts) as Dagster assets."""

import dagster as dg

from dagster_project.defs.transform.assets import (
    dbt_resource,
    klaster_dbt_models,
    klaster_yearly_dbt_models,
)

defs = dg.Definitions(
    assets=[klaster_dbt_models, klaster_yearly_dbt_models], resources={"dbt": dbt_resource}
)
