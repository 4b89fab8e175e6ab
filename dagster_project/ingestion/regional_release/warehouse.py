"""Many releases -> the warehouse: every release of the manifests read
together (a key two files supply is a conflict, quarantined from both) and
written with their quarantined records in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import ManifestEntry, load_all_manifests
from dagster_project.ingestion.regional_release.quarantine import quarantine_duplicates
from dagster_project.ingestion.regional_release.reader import ReleaseResult, read_release
from dagster_project.ingestion.regional_release.schema import LOADER, OBSERVATION_COLUMNS, OBSERVATIONS_TABLE
from dagster_project.ingestion.warehouse_writes import (
    REJECTED_COLUMNS,
    REJECTED_TABLE,
    Replacement,
    replace_in_transaction,
)


def release_entries(dataset_dirs: list[Path]) -> list[ManifestEntry]:
    """Every manifest entry read by this loader."""
    return [e for e in load_all_manifests(dataset_dirs) if e.loader == LOADER]


@dataclass
class CombinedResult:
    results: list[ReleaseResult]
    observations: pd.DataFrame
    rejected: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        records_in = sum(r.records_in for r in self.results)
        return {
            "files": len(self.results),
            "records_in": records_in,
            "observations": len(self.observations),
            "quarantined": len(self.rejected),
        }


def read_releases(entries: list[ManifestEntry], catalog: FrameCatalog) -> CombinedResult:
    """Read every release; an observation key supplied by two files is a
    conflict and goes to quarantine from both."""
    results = [read_release(e, catalog) for e in entries]
    observations = _concat([r.observations for r in results], list(OBSERVATION_COLUMNS)[:-1])
    rejected = _concat([r.rejected for r in results], list(REJECTED_COLUMNS)[:-1])
    observations, rejected = quarantine_duplicates(observations, rejected)
    return CombinedResult(results, observations, rejected)


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    non_empty = [f for f in frames if not f.empty]
    return pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=columns)


def _typed(
    frame: pd.DataFrame, columns: dict[str, str], loaded_column: str, loaded_at: datetime
) -> pd.DataFrame:
    out = frame.copy()
    out[loaded_column] = loaded_at
    return out[list(columns)]


def write_releases(
    connection: duckdb.DuckDBPyConnection, combined: CombinedResult
) -> dict[str, int]:
    """Replace ``raw.regional_observations`` and this loader's rows of
    ``quality.rejected_rows`` in one transaction: a failure leaves both as
    they were."""
    now = datetime.now(UTC).replace(tzinfo=None)
    observations = _typed(combined.observations, OBSERVATION_COLUMNS, "_loaded_at", now)
    rejected = _typed(combined.rejected, REJECTED_COLUMNS, "rejected_at", now)
    files = [r.entry.relative_path for r in combined.results]
    replace_in_transaction(connection, [
        Replacement(OBSERVATIONS_TABLE, observations, OBSERVATION_COLUMNS),
        Replacement(REJECTED_TABLE, rejected, REJECTED_COLUMNS,
                    where="source_file in (select unnest(?))", params=(files,)),
    ])
    return combined.counts
