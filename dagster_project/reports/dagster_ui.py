"""The Dagster UI as the data-quality dashboard: start ``dagster-webserver`` on
this machine for a given ``DAGSTER_HOME`` and warehouse, wait until it serves
the code location, and build the address of an asset's checks view.

Used by ``tests/test_ui_dashboard.py`` and by ``screenshots`` (docs)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from dagster_project import settings

WEBSERVER = Path(sys.executable).parent / "dagster-webserver"


class WebserverError(RuntimeError):
    """The webserver exited or did not become ready; the message carries its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return reply.read()


def graphql(base_url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


def _wait_until_ready(base_url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Ready = ``/server_info`` answers (the webserver starts serving only after
    it has loaded the code location) and the location has no load error."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise WebserverError(f"dagster-webserver exited with {process.returncode}:\n"
                                 f"{log.read_text(errors='replace')[-4000:]}")
        try:
            _get(f"{base_url}/server_info")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
            continue
        status = graphql(base_url, "{ workspaceOrError { ... on Workspace { locationEntries { "
                                   "name loadStatus locationOrLoadError { __typename } } } } }")
        entries = status["data"]["workspaceOrError"]["locationEntries"]
        if entries and all(e["loadStatus"] == "LOADED" for e in entries):
            failed = [e["name"] for e in entries
                      if e["locationOrLoadError"]["__typename"] != "RepositoryLocation"]
            if failed:
                raise WebserverError(f"code location(s) {failed} failed to load:\n"
                                     f"{log.read_text(errors='replace')[-4000:]}")
            return
        time.sleep(0.5)
    raise WebserverError(f"dagster-webserver not ready after {timeout:.0f} s:\n"
                         f"{log.read_text(errors='replace')[-4000:]}")


@contextmanager
def running_webserver(env: Mapping[str, str], log: Path, port: int | None = None,
                      timeout: float = 180.0) -> Iterator[str]:
    """``dagster-webserver`` on 127.0.0.1 for the project's definitions, with
    ``env`` (DAGSTER_HOME, KLASTER_WAREHOUSE) over the current environment;
    yields its base URL and stops it (and its code server) afterwards."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(WEBSERVER), "-m", "dagster_project.definitions", "-h", "127.0.0.1",
             "-p", str(port)],
            cwd=settings.PROJECT_ROOT, env={**os.environ, **env}, stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the code server stops with it
        )
        try:
            _wait_until_ready(base_url, process, log, timeout)
            # The first visit shows a "join the community" dialog over the page;
            # the UI itself records that it was seen with this mutation.
            graphql(base_url, "mutation SetNuxSeen { setNuxSeen }")
            yield base_url
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def asset_checks_url(base_url: str, asset_key: Sequence[str], check: str | None = None) -> str:
    """The checks tab of an asset, optionally with one check's detail open."""
    path = "/".join(urllib.parse.quote(part) for part in asset_key)
    query = {"view": "checks"} | ({"checkDetail": check} if check else {})
    return f"{base_url}/assets/{path}?{urllib.parse.urlencode(query)}"
