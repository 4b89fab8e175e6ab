-- Computed templates of every input-output table and Kazakhstan's published
-- ones (seed 003, Table 2) in one shape; cluster_id names a template across
-- the warehouse: '<table_id>-T<two-digit template number>'.
with

computed as (
    select
        economy_code,
        table_id,
        cast(year as integer) as year,
        'computed' as template_source,
        cast(template_number as integer) as template_number,
        industry_code,
        loading,
        role,
    from {{ ref('int_cluster_templates_computed') }}
),

published as (
    select
        'KZ' as economy_code,
        table_id,
        -- seed 003 does not say which year's input-output table it analysed
        cast(null as integer) as year,
        'published' as template_source,
        cast(template_number as integer) as template_number,
        industry_code,
        loading,
        role,
    from {{ ref('int_cluster_templates_published') }}
),

unioned as (
    select * from computed
    union all
    select * from published
),

identified as (
    select
        table_id || '-T' || printf('%02d', template_number) as cluster_id,
        *,
    from unioned
)

select * from identified
