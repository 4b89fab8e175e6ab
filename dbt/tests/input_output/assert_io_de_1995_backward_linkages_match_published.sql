-- A failure means the column sums of the Leontief inverse of the Germany 1995 table differ
-- from the values printed in the Eurostat manual by more than half a unit of their last
-- printed decimal (or an industry is missing on either side): the table was misread or
-- the coefficients or the inverse are wrong.
with

published as (
    select
        layout.code as industry_code,
        reference.published_value,
        reference.value_text,
    from {{ ref('stg_io_reference__de_1995_backward_linkages') }} as reference
    left join {{ ref('stg_io__table_layout') }} as layout
        on layout.source_table = 'io_de_1995_siot'
        and layout.axis = 'column'
        and layout.source_label = reference.source_label
),

computed as (
    select industry_code, backward_linkage_raw
    from {{ ref('fct_linkages') }}
    where table_id = 'de_1995'
),

compared as (
    select
        coalesce(published.industry_code, computed.industry_code) as industry_code,
        published.published_value,
        computed.backward_linkage_raw,
        0.5 * pow(10, -length(split_part(published.value_text, '.', 2))) as half_unit,
    from published
    full outer join computed on published.industry_code = computed.industry_code
)

select *
from compared
where published_value is null
    or backward_linkage_raw is null
    or abs(backward_linkage_raw - published_value) > half_unit
