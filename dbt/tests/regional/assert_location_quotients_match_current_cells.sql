-- fct_location_quotients is incremental by partition: every cell of the
-- current releases must be in it with the checksum of its current source file,
-- and nothing else. A failure means a partition is stale (e.g. a release file
-- was removed or replaced without its partition changing); rebuild with
-- `dbt build --full-refresh --select fct_location_quotients`.
-- A partitioned run answers for its own years only: the years it did not
-- touch are checked by the next run that covers them (the annual refresh
-- covers all years).
with

cells as (
    select economy_code, classification, year, region_code, industry_code, measure, _source_sha256
    from {{ ref('int_regional_cells_classified') }}
    where {{ partition_years_filter('year') }}
),

lq as (
    select economy_code, classification, year, region_code, industry_code, measure, _source_sha256
    from {{ ref('fct_location_quotients') }}
    where {{ partition_years_filter('year') }}
),

missing as (
    select 'missing_from_fct' as problem, * from (select * from cells except select * from lq)
),

stale as (
    select 'stale_in_fct' as problem, * from (select * from lq except select * from cells)
)

select * from missing
union all
select * from stale
