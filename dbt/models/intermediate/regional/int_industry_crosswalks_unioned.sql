-- Industry crosswalks of Kazakhstan: ОКЭД divisions -> their section (whole)
-- and ОКЭД divisions -> the 20 producing industries of the input-output table
-- of seed 003, Table 2 (whole, or partial with the deciding classes in note).
-- Services divisions have no I-O industry: the table covers producing
-- industries only. Published as dim_industry_crosswalk.
with

divisions as (
    select * from {{ ref('stg_kazakhstan_frame__oked_divisions') }}
),

io as (
    select * from {{ ref('stg_kazakhstan_frame__oked_s003_io_crosswalk') }}
),

to_sections as (
    select
        economy_code,
        classification as from_classification,
        industry_code as from_industry_code,
        'OKED_SECTION' as to_classification,
        parent_code as to_industry_code,
        'whole' as relation,
        cast(null as varchar) as note,
    from divisions
),

to_io as (
    select
        economy_code,
        from_classification,
        from_industry_code,
        to_classification,
        to_industry_code,
        relation,
        note,
    from io
)

select * from to_sections
union all
select * from to_io
