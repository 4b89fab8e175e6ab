"""``klaster-dbt``: dbt's own command line, for the dbt steps of a refresh,
leaving out the interpreter's last garbage collections at exit.

A dbt build holds the parsed project (about 150 models, 740 tests, 530 macros)
and every node's result in memory; when the process exits, the interpreter's
final collections walk all of them, 0.8-0.9 s per dbt step here, to free
memory the operating system takes back anyway. Freezing the objects first
(``gc.freeze``) skips that; objects are still finalised by reference counting,
and dbt has written its logs and closed its connections by the time ``cli``
returns. Everything else, arguments and exit codes included, is ``dbt``
itself. Kept apart from the rest of the package: this module imports nothing
but dbt.
"""

from __future__ import annotations

import gc

from dbt.cli.main import cli


def main() -> None:
    try:
        # Click's standalone mode: parses sys.argv and ends with SystemExit(code).
        cli()
    finally:
        gc.freeze()
