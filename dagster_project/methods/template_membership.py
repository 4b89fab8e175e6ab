"""Feser-Bergman cluster templates, steps 6 and 7 (docs/DOMAIN.md, "Cluster
membership": "an industry belongs to the component with the largest absolute
loading (primary) and to others above a cut-off (secondary)").

6. ``assign_membership``: primary template = the component of the industry's
   largest absolute loading; secondary = every other component whose absolute
   loading reaches the cut-off (0.35 in Feser & Bergman).
7. ``name_templates``: a template's name is composed from the themes of its
   strongest members; the theme words (kk/ru/en) are data, not code.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dagster_project.methods.template_inputs import TemplateInputError

PRIMARY = "primary"
SECONDARY = "secondary"
NOT_MEMBER = "not_member"

LANGUAGES = ("kk", "ru", "en")


def assign_membership(loadings: pd.DataFrame, cutoff: float = 0.35) -> pd.DataFrame:
    """Long table of an industries x templates loading matrix (index =
    industry codes, columns = template numbers): industry_code, template,
    loading, role. The primary template is the column of the largest absolute
    loading (ties go to the lower template number); secondary are the other
    columns whose absolute loading is at least ``cutoff``; the rest are
    ``not_member``. Absolute values follow seed 003, which marks the largest
    absolute loading of each row whatever its sign."""
    if not 0.0 <= cutoff <= 1.0:
        raise TemplateInputError(f"loading cut-off must be in [0, 1], got {cutoff}")
    if loadings.empty:
        raise TemplateInputError("no loadings to assign")
    if loadings.isna().any().any():
        bad = loadings.stack(future_stack=True)
        first = bad[bad.isna()].index[0]
        raise TemplateInputError(f"missing loading for industry {first[0]!r}, template {first[1]}")
    values = loadings.to_numpy(dtype=float)
    primary_col = np.abs(values).argmax(axis=1)
    role = np.where(np.abs(values) >= cutoff, SECONDARY, NOT_MEMBER).astype(object)
    role[np.arange(values.shape[0]), primary_col] = PRIMARY
    long = pd.DataFrame(
        {
            "industry_code": np.repeat(loadings.index.to_numpy(dtype=object), values.shape[1]),
            "template": np.tile(loadings.columns.to_numpy(), values.shape[0]),
            "loading": values.ravel(),
            "role": role.ravel(),
        }
    )
    return long


def name_templates(
    membership: pd.DataFrame,
    industry_themes: Mapping[str, str],
    theme_labels: pd.DataFrame,
    conjunctions: Mapping[str, str],
    max_themes: int = 2,
) -> pd.DataFrame:
    """Names of templates in kk/ru/en composed from their members' themes.

    ``membership`` is the output of ``assign_membership`` (optionally with
    more columns); ``industry_themes`` maps industry code -> theme code;
    ``theme_labels`` is indexed by theme code with columns ``position`` (the
    value-chain order used in names, primary sector first) and
    ``label_kk``/``label_ru``/``label_en``; ``conjunctions`` maps a language
    to its word for "and".

    The name givers are the template's primary members whose loading has the
    sign of the template's strongest loading (a component can be bipolar: in
    seed 003's component 6 fishing loads -0.66 and textiles +0.64; both are
    members by absolute value, but they lie at opposite ends), strongest
    first; a template without such members uses all its industries by
    absolute loading. Their themes are taken in that order until
    ``max_themes`` distinct ones are found, then put in value-chain order and
    joined: {metallurgy 0.97, metal ores 0.94, ...} -> "mining and
    metallurgy". Two templates of one table with the same name are told
    apart by their strongest member's code in brackets.
    Returns: template, theme_codes, top_industry_code, name_kk, name_ru, name_en."""
    missing_lang = [lang for lang in LANGUAGES if lang not in conjunctions]
    if missing_lang:
        raise TemplateInputError(f"no conjunction for language(s) {missing_lang}")
    rows = []
    for template, members in membership.groupby("template", sort=True):
        ranked = members.assign(strength=members["loading"].abs()).sort_values(
            ["strength", "industry_code"], ascending=[False, True]
        )
        pole = np.sign(ranked["loading"].iloc[0]) or 1.0
        givers = ranked[(ranked["role"] == PRIMARY) & (np.sign(ranked["loading"]) == pole)]
        pool = givers if not givers.empty else ranked
        themes: list[str] = []
        for code in pool["industry_code"]:
            if code not in industry_themes:
                raise TemplateInputError(f"industry {code!r} has no theme in the label data")
            theme = industry_themes[code]
            if theme not in theme_labels.index:
                raise TemplateInputError(f"theme {theme!r} of industry {code!r} has no labels")
            if theme not in themes:
                themes.append(theme)
            if len(themes) == max_themes:
                break
        themes.sort(key=lambda t: (theme_labels.loc[t, "position"], t))
        row = {
            "template": template,
            "theme_codes": ",".join(themes),
            "top_industry_code": pool["industry_code"].iloc[0],
        }
        for lang in LANGUAGES:
            words = [str(theme_labels.loc[t, f"label_{lang}"]) for t in themes]
            row[f"name_{lang}"] = f" {conjunctions[lang]} ".join(words)
        rows.append(row)
    names = pd.DataFrame(rows)
    clash = names.duplicated("name_en", keep=False)
    for lang in LANGUAGES:
        names.loc[clash, f"name_{lang}"] = (
            names.loc[clash, f"name_{lang}"] + " (" + names.loc[clash, "top_industry_code"] + ")"
        )
    return names
