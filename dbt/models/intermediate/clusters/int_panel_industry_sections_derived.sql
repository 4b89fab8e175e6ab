-- NACE Rev.2 sections covered by each industry of each regional classification
-- (the partition industries of int_location_quotients_computed: an "of which" line such
-- as manufacturing inside B-E is not one, so no employment counts twice), read
-- from the industry code: a section letter ('C', 'WZ08-C'), a range ('B-E',
-- 'G-I'), a pair ('M_N') or letters in alphabetical order ('BDE'). A code of
-- another form covers no section and its industry cannot meet a template.
with

panel_industries as (
    select distinct
        economy_code,
        classification,
        industry_code,
        regexp_replace(upper(industry_code), '^[A-Z0-9]{2,}-([A-U])$', '\1') as bare_code,
    from {{ ref('int_location_quotients_computed') }}
    where in_partition
),

sections as (
    select chr(cast(ascii('A') + letter_index as integer)) as nace_section
    -- sqlfluff's DuckDB dialect misreads a column alias list as an unused alias
    from range(0, 21) as letters(letter_index)  -- noqa: AL05, LT01
),

parsed as (
    select
        panel_industries.economy_code,
        panel_industries.classification,
        panel_industries.industry_code,
        sections.nace_section,
    from panel_industries
    inner join sections
        on case
            when regexp_full_match(panel_industries.bare_code, '[A-U][-_][A-U]')
                then sections.nace_section
                    between left(panel_industries.bare_code, 1) and right(panel_industries.bare_code, 1)
            when regexp_full_match(panel_industries.bare_code, 'A?B?C?D?E?F?G?H?I?J?K?L?M?N?O?P?Q?R?S?T?U?')
                and panel_industries.bare_code <> ''
                then contains(panel_industries.bare_code, sections.nace_section)
            else false
        end
),

final as (
    select
        *,
        count(*) over (
            partition by economy_code, classification, industry_code
        ) as n_sections,
    from parsed
)

select * from final
