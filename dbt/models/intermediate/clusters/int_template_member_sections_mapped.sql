-- The NACE Rev.2 sections in which each template's primary members lie. Only
-- primary members define a regional cluster: a secondary member belongs
-- primarily to another template, and counting it twice would blur the
-- clusters further.
-- Input-output industries of other economies reach sections through
-- data/raw/cluster_labels/io_industry_nace_sections.csv; seed 003's 20
-- industries through the regional frame's ОКЭД crosswalk (ОКЭД division ->
-- its section, and ОКЭД division -> seed 003 industry), ОКЭД sections being
-- NACE Rev.2 sections. Kazakhstan's own 2023 tables (BNS's product-by-product
-- I-O table and the industry-by-industry table from its supply-use tables)
-- reach sections through the frame's bns_io_oked_crosswalk: products for a
-- symmetric table, ОКЭД industries for one built from supply and use.
with

members as (
    select cluster_id, economy_code, table_id, template_number, industry_code
    from {{ ref('int_cluster_templates_unioned') }}
    where role = 'primary'
),

io_crosswalk as (
    select table_id, industry_code, nace_section
    from {{ ref('stg_cluster_labels__io_industry_nace_sections') }}
),

oked as (
    select * from {{ ref('int_industry_crosswalks_unioned') }}
    where economy_code = 'KZ' and from_classification = 'OKED_DIVISION'
),

seed_003_crosswalk as (
    select distinct
        -- the table id of seed 003's published loadings (stg_seeds__s003_t2_component_loadings)
        's003_t2' as table_id,
        to_io.to_industry_code as industry_code,
        to_section.to_industry_code as nace_section,
    from oked as to_io
    inner join oked as to_section
        on to_io.from_industry_code = to_section.from_industry_code
    where to_io.to_classification = 'S003_IO20'
        and to_section.to_classification = 'OKED_SECTION'
),

kz_tables as (
    select
        table_id,
        case table_kind
            when 'symmetric' then 'BNS_IO_PRODUCT'
            when 'supply_use' then 'BNS_SUT_INDUSTRY'
        end
            as classification,
    from {{ ref('stg_io__tables') }}
    where economy_code = 'KZ'
),

kz_2023_crosswalk as (
    select distinct
        kz_tables.table_id,
        bns.code as industry_code,
        bns.oked_section as nace_section,
    from kz_tables
    inner join {{ ref('stg_kazakhstan_frame__bns_io_oked_crosswalk') }} as bns
        on kz_tables.classification = bns.classification
),

crosswalk as (
    select * from io_crosswalk
    union all
    select * from seed_003_crosswalk
    union all
    select * from kz_2023_crosswalk
),

mapped as (
    select
        members.cluster_id,
        members.economy_code as template_economy_code,
        members.table_id,
        members.template_number,
        crosswalk.nace_section,
        count(*) as member_industries,
        string_agg(members.industry_code, ',' order by members.industry_code) as member_codes,
    from members
    inner join crosswalk
        on members.table_id = crosswalk.table_id
        and members.industry_code = crosswalk.industry_code
    group by all
)

select * from mapped
