"""The one error type a refused raw file raises: it always names the file and,
where it applies, the row, column and offending value, so an analyst who drops
a release into ``data/raw`` knows exactly what to fix."""

from __future__ import annotations


class RawFileError(ValueError):
    def __init__(
        self,
        file: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.file = file
        self.problem = problem
        self.row = row
        self.column = column
        self.value = value
        where = [f"file {file}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {value!r}")
        super().__init__(f"{', '.join(where)}: {problem}")
