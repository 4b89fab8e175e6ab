{#- The staging of one input-output file as loaded (one text column per printed
    column, source.io): one row per printed cell, typed, nothing else. Every
    file has the same body; what differs is only which columns hold row labels
    rather than cells.
    - source_table: the raw table (also the value of source_table);
    - row_label: the column that names the row, or none for a file without one
      (its rows are then identified by source_line and named through
      io_table_layout.csv downstream);
    - label_columns: every column that is not a printed cell (row_label
      included), left out of the unpivot.
    Gap markers (the one list, vars.gap_markers) become NULL with the marker
    beside the value. -#}
{% macro io_cell_staging(source_table, row_label, label_columns) -%}
with

source as (
    select * from {{ source('io', source_table) }}
),

cells as (
    select * exclude (_source_sha256, _loaded_at) from source
),

unpivoted as (
    -- include nulls: a blank cell is a row too (its status is decided downstream).
    select *
    from cells
    unpivot include nulls (cell_text for source_label in (columns(* exclude (
        {%- for column in label_columns %}"{{ column }}", {% endfor %}"_source_file", "_source_row"))))
),

renamed as (
    select
        -- ids
        '{{ source_table }}' as source_table,
        cast(_source_row as integer) as source_line,
        {% if row_label is none %}cast(null as varchar){% else %}"{{ row_label }}"{% endif %} as row_label,
        source_label,
        -- numbers
        {{ parse_number('cell_text', decimal='.') }} as value,
        {{ gap_marker('cell_text') }} as gap_marker,
        cell_text,
        -- provenance
        _source_file,
    from unpivoted
)

select * from renamed
{%- endmacro %}
