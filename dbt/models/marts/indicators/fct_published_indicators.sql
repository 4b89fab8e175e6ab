-- What analysts query for the seeds' published figures: every printed number
-- as published, its labels in kk/ru/en, and beside it the verdict of the
-- validation suites. A failed figure is kept as published; a correction, where
-- the other figures determine one, is a separate column.
with

cells as (
    select * from {{ ref('int_published_cells_unioned') }}
),

validations as (
    select * from {{ ref('int_published_cell_validations') }}
),

labels as (
    select * from {{ ref('stg_seeds__labels') }}
),

final as (
    select
        cells.table_id,
        cells.entity_dimension,
        cells.entity_code,
        cells.value_column,
        cells.year,
        cells.measure,
        cells.unit_printed,
        cells.value_text as value_as_printed,
        cells.value as published_value,
        cells.gap_marker,
        entity.label_kk,
        entity.label_ru,
        entity.label_en,
        column_label.label_en as value_column_label_en,
        entity.price_basis,
        coalesce(validations.checks_run, 0) as checks_run,
        coalesce(validations.checks_failed, 0) as checks_failed,
        case
            when validations.checks_run is null then 'not_checked'
            when validations.checks_failed > 0 then 'failed'
            else 'passed'
        end as validation_status,
        validations.failed_checks,
        validations.failure_reasons,
        validations.suggested_value,
        cells._source_file,
        cells._source_row,
    from cells
    left join validations
        on cells.table_id = validations.table_id
        and cells.entity_code = validations.entity_code
        and cells.value_column = validations.value_column
    left join labels as entity
        on cells.table_id = entity.table_id
        and cells.entity_dimension = entity.dimension
        and cells.entity_code = entity.code
    left join labels as column_label
        on cells.table_id = column_label.table_id
        and cells.value_column = column_label.code
        and column_label.dimension in ('factor', 'component')
)

select * from final
