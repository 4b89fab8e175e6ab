{#- A sum of figures that is the same in every run. DuckDB adds doubles in
    parallel, in whatever order its threads finish, so the last bits of a double
    sum change from run to run; a published total minus such a sum (a
    difference of near-equal numbers) then changed in its 11th digit between two
    refreshes of the same inputs. As DECIMAL(38, 18) each value keeps more
    digits than a double holds (magnitudes up to 10^20), the sum is exact, and
    the result is typed double again. -#}
{% macro exact_sum(expression, where=none) -%}
    (sum(({{ expression }})::decimal(38, 18)){% if where %} filter (where {{ where }}){% endif %})::double
{%- endmacro %}
