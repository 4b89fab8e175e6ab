-- Employment of every template in every region of every employment panel: the
-- sum over the panel's partition industries that cover a section holding one
-- of the template's primary members. A panel industry is counted whole even
-- when only some of its input-output industries are members (the detail that
-- section-level panels lose); shared_panel_industries says how many of the
-- counted industries also host members of other templates of the same table.
with

lq as (
    select * from {{ ref('int_location_quotients_computed') }}
    where measure = 'employment' and in_partition
),

panel_sections as (
    select * from {{ ref('int_panel_industry_sections_derived') }}
),

member_sections as (
    select * from {{ ref('int_template_member_sections_mapped') }}
),

cluster_industries as (
    select distinct
        panel_sections.economy_code,
        panel_sections.classification,
        panel_sections.industry_code,
        member_sections.cluster_id,
        member_sections.table_id,
    from panel_sections
    inner join member_sections
        on panel_sections.nace_section = member_sections.nace_section
),

hosting as (
    select
        economy_code,
        classification,
        table_id,
        industry_code,
        count(distinct cluster_id) as templates_hosted,
    from cluster_industries
    group by all
),

template_info as (
    select cluster_id, any_value(template_economy_code) as template_economy_code
    from member_sections
    group by cluster_id
),

primary_counts as (
    select cluster_id, count(*) filter (where role = 'primary') as template_members
    from {{ ref('int_cluster_templates_unioned') }}
    group by cluster_id
),

regional as (
    select
        lq.economy_code,
        lq.classification,
        lq.year,
        lq.measure,
        lq.region_code,
        cluster_industries.cluster_id,
        cluster_industries.table_id,
        coalesce(sum(lq.value), 0) as cluster_employment,
        any_value(lq.region_total) as region_employment,
        sum(lq.industry_total) as national_cluster_employment,
        any_value(lq.economy_total) as national_employment,
        count(*) as panel_industries,
        count(*) filter (
            where lq.lq >= {{ var('lq_specialised_threshold', 1.25) }}
        ) as specialised_panel_industries,
        count(*) filter (where hosting.templates_hosted > 1) as shared_panel_industries,
        count(*) filter (where lq.value is null) as panel_industries_without_value,
        string_agg(lq.industry_code, ',' order by lq.industry_code) as panel_industry_codes,
    from cluster_industries
    inner join lq
        on cluster_industries.economy_code = lq.economy_code
        and cluster_industries.classification = lq.classification
        and cluster_industries.industry_code = lq.industry_code
    inner join hosting
        on cluster_industries.economy_code = hosting.economy_code
        and cluster_industries.classification = hosting.classification
        and cluster_industries.table_id = hosting.table_id
        and cluster_industries.industry_code = hosting.industry_code
    group by all
),

final as (
    select
        regional.*,
        template_info.template_economy_code,
        primary_counts.template_members,
    from regional
    inner join template_info on regional.cluster_id = template_info.cluster_id
    inner join primary_counts on regional.cluster_id = primary_counts.cluster_id
)

select * from final
