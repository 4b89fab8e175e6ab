-- Every BNS observation release (region x activity x year x period x measure
-- facts, schema release.OBSERVATION_COLUMNS) in one typed table, exactly as
-- the readers stored them: no figure changed, dropped or derived.
--
-- One model unioning the releases rather than one staging model per release:
-- the releases share one schema by contract, so one model types them once and
-- the validation mart joins one table. A new release of an observation layout
-- (written into the manifest by `klaster add-release`) is added here and to
-- _kazakhstan_bns__sources.yml; the input-output and supply-use workbooks
-- (cells, not observations) have their own staging models.
{%- set observation_releases = [
    'bns_employment_by_activity_region',
    'bns_employment_by_region',
    'bns_gdp_by_activity_current_prices',
    'bns_gdp_volume_index_by_activity',
    'bns_gdp_deflator_by_activity',
    'bns_grp_by_region',
    'bns_population_by_region',
    'bns_labour_productivity_by_region_activity',
] %}

with

{% for release in observation_releases %}
{{ release }} as (
    select * from {{ source('kazakhstan_bns', release) }}
),
{% endfor %}

unioned as (
    {% for release in observation_releases %}
    select * from {{ release }}
    {% if not loop.last %}union all by name{% endif %}
    {% endfor %}
),

typed as (
    select
        -- ids
        cast(release_id as varchar) as release_id,
        cast(economy_code as varchar) as economy_code,
        cast(measure as varchar) as measure,
        cast(region_code as varchar) as region_code,
        cast(activity_code as varchar) as activity_code,
        cast(classification as varchar) as classification,
        cast(year as integer) as year,
        cast(period as varchar) as period,
        -- the figure as published (NULL where a gap marker stands)
        cast(value as double) as value,
        cast(gap_marker as varchar) as gap_marker,
        cast(unit as varchar) as unit,
        -- territory
        coalesce(cast(back_cast as boolean), false) as back_cast,
        cast(territorial_basis as varchar) as territorial_basis,
        -- labels as printed
        cast(source_region as varchar) as source_region,
        cast(source_activity as varchar) as source_activity,
        cast(note as varchar) as note,
        -- provenance
        cast(_source_file as varchar) as _source_file,
        cast(_source_sha256 as varchar) as _source_sha256,
        cast(_source_sheet as varchar) as _source_sheet,
        cast(_source_row as bigint) as _source_row,
        cast(_source_column as varchar) as _source_column,
        cast(_source_cell as varchar) as _source_cell,
        cast(_loaded_at as timestamp) as _loaded_at,
    from unioned
)

select * from typed
