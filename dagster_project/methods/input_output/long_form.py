"""Matrices to and from long warehouse rows. The warehouse holds cells as long
rows (by integer position, or by label); the numerics work on dense matrices.
``dense_matrices`` and ``long_to_square`` scatter cells into matrices by
integer indexing, ``long_positions`` gives the positions that write a matrix
back with ``reshape(-1)``: nothing loops over cells or hashes labels per cell."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def dense_matrices(
    table_keys: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    sizes: dict[int, int],
) -> dict[int, np.ndarray]:
    """Scatter long cells of several tables into dense matrices by integer
    position (1-based ``rows``/``cols``; ``sizes`` = table key -> n). Absent
    cells are 0; a cell of an unknown table, a position out of range or a
    duplicated cell raises. The warehouse hands positions, not codes, so
    nothing here hashes strings; one pass per table (a handful) instead of a
    sort of all cells."""
    table_keys = np.asarray(table_keys)
    rows = np.asarray(rows, dtype=np.int64) - 1
    cols = np.asarray(cols, dtype=np.int64) - 1
    values = np.asarray(values, dtype=float)
    out: dict[int, np.ndarray] = {}
    placed = 0
    for key, n in sizes.items():
        idx = np.flatnonzero(table_keys == key)
        placed += idx.size
        r, c = rows[idx], cols[idx]
        if r.size and (min(r.min(), c.min()) < 0 or max(r.max(), c.max()) >= n):
            raise ValueError(f"table {key}: cell positions outside 1..{n}")
        flat = r * n + c
        seen = np.zeros(n * n, dtype=bool)
        seen[flat] = True
        if np.count_nonzero(seen) != flat.size:
            raise ValueError(f"table {key}: duplicated (row, column) cells")
        matrix = np.zeros(n * n)
        matrix[flat] = values[idx]
        out[key] = matrix.reshape(n, n)
    if placed != table_keys.size:
        raise ValueError(f"{table_keys.size - placed} cells belong to tables without a size")
    return out


def long_positions(n: int) -> tuple[np.ndarray, np.ndarray]:
    """1-based (row, column) positions of a row-major n x n matrix, for
    writing a matrix back in long form with ``matrix.reshape(-1)``."""
    positions = np.arange(1, n + 1, dtype=np.int32)
    return np.repeat(positions, n), np.tile(positions, n)


def long_to_square(
    frame: pd.DataFrame,
    labels: Sequence[str],
    *,
    row_column: str,
    column_column: str,
    value_column: str,
) -> np.ndarray:
    """A long frame (row label, column label, value) scattered into a dense
    n x n matrix by integer indexing (absent cells are 0). Raises on labels
    outside ``labels`` and on duplicated cells."""
    position = pd.Index(list(labels))
    rows = position.get_indexer(frame[row_column])
    cols = position.get_indexer(frame[column_column])
    if (rows < 0).any() or (cols < 0).any():
        unknown = sorted(
            set(frame.loc[rows < 0, row_column].astype(str))
            | set(frame.loc[cols < 0, column_column].astype(str))
        )
        raise ValueError(f"cells name industries outside the table: {unknown[:10]}")
    flat = rows * len(position) + cols
    if len(np.unique(flat)) != len(flat):
        raise ValueError("duplicated (row, column) cells")
    out = np.zeros(len(position) * len(position))
    out[flat] = frame[value_column].to_numpy(dtype=float)
    return out.reshape(len(position), len(position))
