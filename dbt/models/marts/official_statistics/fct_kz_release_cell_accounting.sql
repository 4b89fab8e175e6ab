-- Where every non-blank cell of every BNS release went: loaded as a figure,
-- ignored as a label/header/note (with the reason) or quarantined (reasons cell
-- by cell in quality.rejected_rows), per release, sheet and reason, with the
-- release's totals beside each row and the facts its raw table holds.
with

accounting as (
    select * from {{ source('kazakhstan_bns_quality', 'cell_accounting') }}
),

observation_facts as (
    select release_id, count(*) as facts
    from {{ ref('stg_kazakhstan_bns__observations') }}
    group by all
),

{% set cell_releases = ['bns_input_output_2023', 'bns_supply_use_2023'] %}
cell_facts as (
    {% for release in cell_releases %}
    select '{{ release }}' as release_id, count(*) as facts
    from {{ source('kazakhstan_bns', release) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

stored as (
    select * from observation_facts
    union all
    select * from cell_facts
),

final as (
    select
        accounting.release_id,
        accounting.source_file,
        accounting.sheet,
        accounting.category,
        accounting.reason,
        cast(accounting.cells as bigint) as cells,
        cast(sum(accounting.cells) over release as bigint) as release_cells_read,
        cast(coalesce(sum(accounting.cells) filter (where accounting.category = 'loaded') over release, 0)
            as bigint) as release_cells_loaded,
        cast(coalesce(sum(accounting.cells) filter (where accounting.category = 'quarantined') over release, 0)
            as bigint) as release_cells_quarantined,
        cast(coalesce(sum(accounting.cells) filter (where accounting.category = 'ignored') over release, 0)
            as bigint) as release_cells_ignored,
        cast(coalesce(stored.facts, 0) as bigint) as release_facts_stored,
        accounting.accounted_at,
    from accounting
    left join stored
        on accounting.release_id = stored.release_id
    window release as (partition by accounting.release_id)
)

select * from final
