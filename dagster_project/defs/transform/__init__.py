"""dbt models (staging -> intermediate -> marts) as Dagster assets."""

import dagster as dg

from dagster_project.defs.transform.assets import klaster_dbt_models, dbt_resource

defs = dg.Definitions(assets=[klaster_dbt_models], resources={"dbt": dbt_resource})
