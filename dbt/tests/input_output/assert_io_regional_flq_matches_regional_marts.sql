-- A failure means that, for a pair of table industries each made of exactly one panel
-- industry (e.g. CPA_F = NACE A10 group F), the FLQ computed here through the crosswalk
-- differs from the regional marts' own FLQ for that pair: the aggregation of the panel
-- into the table's industries (or the lambda or diagonal rule) went wrong.
with

crosswalk as (
    select economy_code, classification, panel_industry_code, table_id, table_industry_code
    from {{ ref('stg_io_crosswalks__de_wz2008_sections') }}
    union all
    select economy_code, classification, panel_industry_code, table_id, table_industry_code
    from {{ ref('stg_io_crosswalks__de_nace_a10') }}
),

one_to_one as (
    select economy_code, classification, table_id, table_industry_code, any_value(panel_industry_code) as panel_industry_code
    from crosswalk
    group by economy_code, classification, table_id, table_industry_code
    having count(*) = 1
),

ours as (
    select flq.*, supplying.panel_industry_code as supplying_panel, buying.panel_industry_code as buying_panel
    from {{ ref('int_io_regional_flq') }} as flq
    inner join one_to_one as supplying
        on flq.economy_code = supplying.economy_code
        and flq.classification = supplying.classification
        and flq.table_id = supplying.table_id
        and flq.supplying_industry_code = supplying.table_industry_code
    inner join one_to_one as buying
        on flq.economy_code = buying.economy_code
        and flq.classification = buying.classification
        and flq.table_id = buying.table_id
        and flq.buying_industry_code = buying.table_industry_code
),

theirs as (
    select * from {{ ref('fct_cross_industry_location_quotients') }}
)

select
    ours.table_id,
    ours.classification,
    ours.panel_year,
    ours.region_code,
    ours.supplying_industry_code,
    ours.buying_industry_code,
    ours.flq,
    theirs.flq as regional_marts_flq,
from ours
left join theirs
    on ours.economy_code = theirs.economy_code
    and ours.classification = theirs.classification
    and ours.panel_year = theirs.year
    and ours.region_code = theirs.region_code
    and ours.measure = theirs.measure
    and ours.supplying_panel = theirs.supplying_industry_code
    and ours.buying_panel = theirs.buying_industry_code
where ours.flq is not null
    and (theirs.flq is null or abs(ours.flq - theirs.flq) > 1e-9 * greatest(1, abs(theirs.flq)))
