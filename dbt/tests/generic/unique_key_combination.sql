{#- The key of a long table is a combination of columns; fails with every
    combination that occurs more than once. -#}
{% test unique_key_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
