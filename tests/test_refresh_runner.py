"""The shared-once mechanism behind the refreshed warehouse and the
resilience chain: one run per session across workers, failures shared too."""

from __future__ import annotations

import uuid

import pytest

from tests.refresh_runner import once_per_session


def test_once_per_session_runs_once_and_shares_a_failure(tmp_path_factory: pytest.TempPathFactory) -> None:
    shared = tmp_path_factory.getbasetemp().parent
    names = [f"probe-{uuid.uuid4().hex}" for _ in range(2)]
    calls = []

    def produce(folder):
        calls.append(folder)
        return {"calls": len(calls)}

    def broken(folder):
        raise RuntimeError("'OK created sql' never logged")

    try:
        # Two workers ask: the first produces, the second reads its record.
        assert once_per_session(tmp_path_factory, "gw0", names[0], produce) == {"calls": 1}
        assert once_per_session(tmp_path_factory, "gw1", names[0], produce) == {"calls": 1}
        assert calls == [shared / names[0]]
        # A failure on the first worker fails the second with its message, without a rerun.
        with pytest.raises(RuntimeError, match="never logged"):
            once_per_session(tmp_path_factory, "gw0", names[1], broken)
        with pytest.raises(pytest.fail.Exception, match="failed on another worker: RuntimeError"):
            once_per_session(tmp_path_factory, "gw1", names[1], produce)
        assert len(calls) == 1
    finally:
        for name in names:
            for suffix in (".json", ".lock"):
                (shared / f"{name}{suffix}").unlink(missing_ok=True)
