"""The report language: one setting, ``KLASTER_LANGUAGE`` = kk | ru | en.

Labels of regions, industries, indicators and templates are data in the
warehouse (``label_kk``/``label_ru``/``label_en``, ``name_*``); the setting only
chooses which of those columns the report shows and which of its own captions
(``captions.yml``) it prints.
"""

from __future__ import annotations

import os

LANGUAGE_ENV_VAR = "KLASTER_LANGUAGE"
LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "en"
# Where a label is missing in the chosen language the English one is shown
# (and the report says so): English is the one language every source has.
FALLBACK_LANGUAGE = "en"


def report_language(value: str | None = None) -> str:
    """``value`` if given, else ``$KLASTER_LANGUAGE``, else English; anything
    else than kk, ru or en is refused with the setting's name."""
    chosen = value if value else os.environ.get(LANGUAGE_ENV_VAR) or DEFAULT_LANGUAGE
    chosen = chosen.strip().lower()
    if chosen not in LANGUAGES:
        raise ValueError(
            f"{LANGUAGE_ENV_VAR}={chosen!r} is not a report language: choose one of "
            f"{', '.join(LANGUAGES)}"
        )
    return chosen
