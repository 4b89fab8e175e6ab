-- Every BNS observation release (region x activity x year x period x measure
-- facts, schema release.OBSERVATION_COLUMNS) in one typed table, exactly as
-- the readers stored them: no figure changed, dropped or derived.
--
-- One model unioning the releases rather than one staging model per release:
-- the releases share one schema by contract, so each is typed by the one macro
-- (bns_observation_staging, the body of the single-release staging models too)
-- and the validation mart joins one table. A new release of an observation layout
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
    {{ bns_observation_staging(release) }}
),
{% endfor %}

unioned as (
    {% for release in observation_releases %}
    select * from {{ release }}
    {% if not loop.last %}union all by name{% endif %}
    {% endfor %}
),

typed as (
    -- the union keeps the columns it has always had: the TOTAL flags of the
    -- single-release models are derived, not typed
    select * exclude (is_region_total, is_activity_total)
    from unioned
)

select * from typed
