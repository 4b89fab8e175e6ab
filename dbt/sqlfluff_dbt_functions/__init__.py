"""dbt's Jinja functions for sqlfluff's plain jinja templater (configured in
dbt/.sqlfluff), so `sqlfluff lint` renders the models as dbt compiles them
without starting dbt. sqlfluff's own dbt builtins stub ref, source and config;
these two it renders as placeholders, which the project's macros cannot use:
`var` returns the project's value (the gap-marker list is iterated, the
thresholds are numbers) and `env_var` its default (a plain build: every year)."""

from pathlib import Path

import yaml

_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project.yml"
_VARS = yaml.safe_load(_PROJECT.read_text(encoding="utf-8"))["vars"]


def var(name, default=None):
    return _VARS.get(name, default)


def env_var(name, default=""):
    return default
