"""A headless Chromium driven over the DevTools protocol: open a page, wait
until it shows some text, read what a person would see, take a screenshot.

Used by the UI test (is the asset-checks view showing the failures?) and to
make the screenshots committed under ``docs/screenshots``. Only the system
``chromium`` binary (Debian package ``chromium``) and the ``websockets``
client are needed; no Selenium, no browser download."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from websockets.sync.client import ClientConnection, connect

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Quiet, reproducible, sandbox-less (containers run as root), no network of its own.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-port=0",
)


VISIBLE_TEXT = "document.body ? document.body.innerText : ''"


class BrowserError(RuntimeError):
    """Chromium did not start, or a page did not show what was awaited."""


def chromium_binary() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


class Page:
    """One tab, spoken to over its DevTools websocket."""

    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket
        self._next_id = 0

    def call(self, method: str, **params) -> dict:
        self._next_id += 1
        message_id = self._next_id
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:  # events arrive interleaved with replies; only our reply ends the wait
            message = json.loads(self._socket.recv(timeout=60))
            if message.get("id") == message_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def text(self, expression: str = VISIBLE_TEXT) -> str:
        """The page's visible text (or the string ``expression`` evaluates to)."""
        return self.evaluate(expression) or ""

    def wait_for_text(self, needles: Iterable[str], timeout: float = 45.0,
                      expression: str = VISIBLE_TEXT) -> str:
        """Poll until every needle is in the visible text (or in the string
        ``expression`` evaluates to, e.g. one dialog's text); return that text.
        Raises, naming what never appeared, after ``timeout`` seconds."""
        wanted = list(needles)
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text(expression)
            if all(n in text for n in wanted):
                return text
            time.sleep(0.5)
        absent = [n for n in wanted if n not in text]
        raise BrowserError(f"page never showed {absent}; it showed:\n{text[:2000]}")

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            metrics = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params |= {"captureBeyondViewport": True,
                       "clip": {"x": 0, "y": 0, "width": metrics["width"],
                                "height": metrics["height"], "scale": 1}}
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def _devtools_port(profile: Path, process: subprocess.Popen, timeout: float) -> int:
    marker = profile / "DevToolsActivePort"  # Chromium writes its chosen port here
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrowserError(f"chromium exited with {process.returncode}: "
                               f"{process.stderr.read().decode(errors='replace')[-2000:]}")
        lines = marker.read_text().splitlines() if marker.exists() else []
        if len(lines) >= 2:
            return int(lines[0])
        time.sleep(0.1)
    raise BrowserError(f"chromium did not open its DevTools port within {timeout:.0f} s")


@contextmanager
def browser_page(width: int = 1600, height: int = 1000, binary: str | None = None,
                 timeout: float = 30.0) -> Iterator[Page]:
    """A fresh headless Chromium with a throw-away profile, and its first tab."""
    executable = binary or chromium_binary()
    if executable is None:
        raise BrowserError(f"no Chromium binary on PATH (looked for {', '.join(CHROMIUM_NAMES)})")
    # Chromium's helper processes may still be writing the profile for a moment
    # after the browser exits; a leftover temporary file is not an error.
    with tempfile.TemporaryDirectory(prefix="klaster-chromium-",
                                     ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: helpers stop with it
        )
        try:
            port = _devtools_port(Path(profile), process, timeout)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
                targets = json.load(reply)
            page_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            with connect(page_url, max_size=None, open_timeout=timeout) as socket:
                page = Page(socket)
                page.call("Page.enable")
                page.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                          deviceScaleFactor=1, mobile=False)
                yield page
        finally:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """End the browser and its helper processes (renderers, crash handler)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()
