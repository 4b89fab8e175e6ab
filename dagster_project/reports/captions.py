"""The report's own words (``captions.yml``) in the chosen language.

A caption missing in any language is refused when the file is read, naming
the file and the entry, so a report never silently mixes languages in its
own text. Names of checks, seed tables and value columns that the file does
not know fall back to their code (the code is what the warehouse shows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dagster_project.reports.language import LANGUAGES
from dagster_project.yaml_documents import load_yaml

CAPTIONS_FILE = Path(__file__).with_name("captions.yml")
_GROUPS = ("captions", "economies", "seed_tables", "value_columns", "checks", "severities",
           "questions")


class CaptionsError(ValueError):
    """The captions file is malformed: the message names file, entry and problem."""


def _validated(document: Any, path: Path) -> dict[str, dict[str, dict[str, str]]]:
    if not isinstance(document, dict):
        raise CaptionsError(f"{path}: expected a mapping of groups {_GROUPS}")
    unknown = sorted(set(document) - set(_GROUPS))
    if unknown:
        raise CaptionsError(f"{path}: unknown groups {unknown}; allowed: {_GROUPS}")
    groups: dict[str, dict[str, dict[str, str]]] = {}
    for group in _GROUPS:
        entries = document.get(group) or {}
        for key, texts in entries.items():
            missing = [
                lang for lang in LANGUAGES
                if not isinstance(texts, dict) or not str(texts.get(lang) or "").strip()
            ]
            if missing:
                raise CaptionsError(f"{path}: {group}.{key} lacks a text in {missing}")
        groups[group] = {str(k): {lang: str(v[lang]).strip() for lang in LANGUAGES}
                         for k, v in entries.items()}
    return groups


def load_texts(path: Path = CAPTIONS_FILE) -> dict[str, dict[str, dict[str, str]]]:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaptionsError(f"{path}: cannot read captions: {exc}") from exc
    return _validated(document, path)


@dataclass(frozen=True)
class Captions:
    language: str
    groups: dict[str, dict[str, dict[str, str]]]

    @classmethod
    def load(cls, language: str, path: Path = CAPTIONS_FILE) -> Captions:
        return cls(language, load_texts(path))

    def __call__(self, key: str, **values: Any) -> str:
        """A caption, with ``{placeholders}`` filled from ``values``."""
        try:
            text = self.groups["captions"][key][self.language]
        except KeyError:
            raise KeyError(f"{CAPTIONS_FILE.name} has no caption {key!r}") from None
        return text.format(**values) if values else text

    def _named(self, group: str, code: str | None) -> str:
        if code is None:
            return ""
        entry = self.groups[group].get(str(code))
        return entry[self.language] if entry else str(code)

    def economy(self, code: str) -> str:
        return self._named("economies", code)

    def seed_table(self, table_id: str) -> str:
        return self._named("seed_tables", table_id)

    def check(self, name: str) -> str:
        return self._named("checks", name)

    def severity(self, name: str) -> str:
        return self._named("severities", name)

    def question(self, key: str) -> str:
        """An "ask the warehouse" question or its note (``<key>`` / ``<key>_note``)."""
        try:
            return self.groups["questions"][key][self.language]
        except KeyError:
            raise KeyError(f"{CAPTIONS_FILE.name} has no question {key!r}") from None

    def value_column(self, column: str | None) -> str:
        """``y2006`` prints as the year; other columns by their caption or code."""
        if not isinstance(column, str):  # NULL in quality.check_results (a NaN from pandas)
            return ""
        if len(column) == 5 and column[0] == "y" and column[1:].isdigit():
            return column[1:]
        return self._named("value_columns", column)
