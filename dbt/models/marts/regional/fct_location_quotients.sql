{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key="economy_code || '|' || classification || '|' || cast(year as varchar) || '|' || measure",
        on_schema_change='fail',
        tags=['yearly'],
    )
}}
-- Simple location quotients LQ = (e_ri / e_r) / (E_i / E) of every region and
-- industry, as computed by int_location_quotients_computed (formulas, totals and
-- classes there). Dagster-partitioned by year like it: a run publishes the
-- (economy, classification, year, measure) partitions of its years whose source
-- files changed, or that this mart does not hold; other years stay as they are.
with

quotients as (
    select * from {{ ref('int_location_quotients_computed') }} as quotients
    where {{ partition_years_filter('quotients.year') }}
    {% if is_incremental() %}
    and {{ lq_partition_changed(ref('int_location_quotients_computed'), 'quotients') }}
    {% endif %}
)

select * from quotients
