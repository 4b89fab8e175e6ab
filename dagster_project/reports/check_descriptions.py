"""Words for the dbt tests that Dagster shows as asset checks.

dbt's generic tests carry no description of their own, so the Dagster UI (the
data-quality dashboard) would list hundreds of checks by their generated
names only. ``describe_dbt_test`` says in one sentence what each test
guarantees, in terms of the model and the column description an analyst
already reads in the dbt docs. Pure: manifest in, text out (wired into the dbt
translator of ``defs/transform``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""")
_MAX_COLUMN_NOTE = 140


def _model_name(node: Mapping[str, Any] | None) -> str:
    return str(node["name"]) if node else "the model"


def _column_note(model: Mapping[str, Any] | None, column: str | None) -> str:
    """`` (what the column is)`` from the model's yml, shortened; empty if none."""
    if not model or not column:
        return ""
    text = ((model.get("columns") or {}).get(column) or {}).get("description") or ""
    text = " ".join(text.split()).rstrip(".")
    if not text:
        return ""
    if len(text) > _MAX_COLUMN_NOTE:
        text = text[: _MAX_COLUMN_NOTE - 1].rsplit(" ", 1)[0] + "…"
    return f" ({text})"


def _leading_comment(sql: str) -> str:
    """The ``--`` comment lines a singular test starts with: its author's why."""
    lines = []
    for line in sql.strip().splitlines():
        stripped = line.strip()
        if stripped.startswith("--"):
            lines.append(stripped.lstrip("-").strip())
        elif stripped.startswith("{#") or not stripped:
            continue
        else:
            break
    return " ".join(line for line in lines if line)


def _values(values: Any) -> str:
    return ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values or [])


def describe_dbt_test(manifest: Mapping[str, Any], unique_id: str) -> str:
    """One sentence saying what the dbt test ``unique_id`` guarantees."""
    test = manifest["nodes"][unique_id]
    if (test.get("description") or "").strip():
        return " ".join(test["description"].split())
    attached = test.get("attached_node") or next(
        (n for n in (test.get("depends_on") or {}).get("nodes", []) if n in manifest["nodes"]),
        None,
    )
    model = manifest["nodes"].get(attached) if attached else None
    name = _model_name(model)
    metadata = test.get("test_metadata") or {}
    kind = metadata.get("name")
    kwargs = metadata.get("kwargs") or {}
    column = test.get("column_name") or kwargs.get("column_name")
    note = _column_note(model, column)
    if kind == "not_null":
        return f"Every row of {name} has a value in {column}{note}: a gap there is an error."
    if kind == "unique":
        return f"No two rows of {name} share the same {column}{note}."
    if kind == "accepted_values":
        return f"{column} of {name}{note} only takes the values {_values(kwargs.get('values'))}."
    if kind == "relationships":
        target = _REF.search(str(kwargs.get("to", "")))
        target_name = target.group(1) if target else str(kwargs.get("to"))
        return (f"Every {column} of {name}{note} exists as {kwargs.get('field')} in "
                f"{target_name}: no row points to something undefined.")
    if kind == "unique_key_combination":
        columns = ", ".join(kwargs.get("columns") or [])
        return f"One row of {name} per ({columns}): no duplicated key."
    if kind:
        details = ", ".join(f"{k}={v}" for k, v in kwargs.items() if k != "model")
        return f"dbt test {kind} on {name}" + (f" ({details})." if details else ".")
    comment = _leading_comment(test.get("raw_code") or "")
    if comment:
        return comment
    return (f"{test['name'].replace('_', ' ').capitalize()} "
            f"(SQL test on {name}: passes when it returns no rows).")
