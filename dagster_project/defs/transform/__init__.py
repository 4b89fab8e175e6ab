"""dbt models (staging -> intermediate -> marts) as Dagster assets."""

import dagster as dg

from dagster_project.defs.transform.assets import (
    klaster_dbt_models,
    klaster_dbt_models_on_yearly_facts,
    klaster_yearly_dbt_models,
)
from dagster_project.defs.transform.dbt_resource import dbt_resource

defs = dg.Definitions(
    assets=[klaster_dbt_models, klaster_yearly_dbt_models, klaster_dbt_models_on_yearly_facts],
    resources={"dbt": dbt_resource},
)
