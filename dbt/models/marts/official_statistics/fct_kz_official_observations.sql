-- What analysts query for Kazakhstan's official statistics: every BNS
-- observation as published and, beside it, the verdict of the release checks
-- that read it (quality.check_results), the way fct_published_indicators does
-- for the seed tables. A failed figure is kept as published; a correction,
-- where the other figures determine it unambiguously, is a separate column.
-- Check instances name their cells 'sheet!B12'; a fact's _source_sheet and
-- _source_cell give the same name, so the join is exact. A check that reads
-- another release's figures too (GDP: volume index x deflator = nominal
-- growth) names those 'release:sheet!B12'; Excel forbids ':' in sheet titles,
-- so a ':' always marks such a prefix, and the figure is flagged in its own
-- release.
with

facts as (
    select * from {{ ref('stg_kazakhstan_bns__observations') }}
),

instances as (
    select * from {{ ref('stg_quality__check_results') }}
    where table_id in (select distinct facts.release_id from facts)
),

instance_cells as (
    select
        table_id,
        check_name,
        passed,
        deviation,
        reason,
        suggested_cell,
        suggested_value,
        unnest(involved_cells) as involved_cell,
    from instances
),

located as (
    select
        *,
        case
            when contains(involved_cell, ':') then split_part(involved_cell, ':', 1)
            else table_id
        end as release_id,
        case
            when contains(involved_cell, ':') then substr(involved_cell, strpos(involved_cell, ':') + 1)
            else involved_cell
        end as cell,
    from instance_cells
),

per_cell as (
    select
        release_id,
        cell,
        count(*) as checks_run,
        count(*) filter (where not passed) as checks_failed,
        list(distinct check_name order by check_name) filter (where not passed) as failed_checks,
        list(deviation order by check_name, deviation) filter (where not passed) as failed_deviations,
        string_agg(distinct reason, ' | ' order by reason) filter (where not passed) as failure_reasons,
        max(suggested_value) filter (where suggested_cell = involved_cell) as suggested_value,
        max(reason) filter (where suggested_cell = involved_cell) as suggestion_reason,
    from located
    group by release_id, cell
),

final as (
    select
        facts.release_id,
        facts.economy_code,
        facts.measure,
        facts.unit,
        facts.region_code,
        facts.activity_code,
        facts.classification,
        facts.year,
        facts.period,
        facts.value as published_value,
        facts.gap_marker,
        facts.back_cast,
        facts.territorial_basis,
        facts.source_region,
        facts.source_activity,
        facts.note,
        coalesce(per_cell.checks_run, 0) as checks_run,
        coalesce(per_cell.checks_failed, 0) as checks_failed,
        case
            when per_cell.checks_run is null then 'not_checked'
            when per_cell.checks_failed > 0 then 'failed'
            else 'passed'
        end as validation_status,
        per_cell.failed_checks,
        per_cell.failed_deviations,
        per_cell.failure_reasons,
        per_cell.suggested_value,
        per_cell.suggestion_reason,
        facts._source_file,
        facts._source_sha256,
        facts._source_sheet,
        facts._source_row,
        facts._source_column,
        facts._source_cell,
    from facts
    left join per_cell
        on facts.release_id = per_cell.release_id
        and facts._source_sheet || '!' || facts._source_cell = per_cell.cell
)

select * from final
