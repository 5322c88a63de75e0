"""The map and chart in a real browser: Debian's headless Chromium, driven over the DevTools
protocol on a pipe (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4, so
no websocket client and no network). Screenshot pixels inside large states must be their
legend colour; hovering a state must show its name and status.

Skipped only when Chromium is missing outside CI; .ci/run installs it.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from landmine_cli import pictures
from landmine_cli.projection import project

# Debian's /usr/bin/chromium is a shell wrapper that loses the pipe's descriptors; the
# binary it starts is used when present.
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium",) if os.access(p, os.X_OK)), None) or \
    shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (CI installs it)", allow_module_level=True)

Image = pytest.importorskip("PIL.Image")

# Points well inside large states (longitude, latitude), and their status on 2026-11-26.
POINTS = {"BRA": ((-52, -10), "party"), "RUS": ((100, 62), "not_joined"),
          "AUS": ((134, -25), "party"), "CAN": ((-100, 58), "party"),
          "USA": ((-100, 40), "not_joined"), "FIN": ((26, 63), "withdrawn")}
MAP_TOP = 52  # where maps.svg places the map under the title


class Browser:
    """One headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self) -> None:
        assert CHROMIUM is not None, "CI must install chromium (.ci/run)"
        self.profile = tempfile.mkdtemp(prefix="landmine-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def pipe_fds() -> None:  # in the child: the protocol's read end on 3, write end on 4
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-pipe", "--no-first-run", "--hide-scrollbars",
             "--force-device-scale-factor=1", f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=pipe_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=1100, height=900,
                  deviceScaleFactor=1, mobile=False)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, path: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=path.as_uri())
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read(deadline))

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self):
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    opened = Browser()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictures")
    env = os.environ | {"LANDMINE_TODAY": "2026-11-26"}
    for name in ("map.svg", "map.html", "chart.html"):
        command = "chart parties" if name.startswith("chart") else "map"
        subprocess.run([sys.executable, "-m", "landmine_cli", *command.split(), "-o", str(folder / name)],
                       check=True, env=env, capture_output=True, timeout=60)
    return folder


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def page_point(browser: Browser, lon: float, lat: float) -> tuple[float, float]:
    """Where a longitude and latitude fall on the page, from the SVG's place and scale."""
    box = browser.evaluate(
        "(() => { const r = document.querySelector('svg').getBoundingClientRect();"
        " return [r.left, r.top, r.width]; })()"
    )
    left, top, width = box
    x, y = project(lon, lat)
    scale = width / 1000
    return left + x * scale, top + (y + MAP_TOP) * scale


@pytest.mark.parametrize("name", ["map.svg", "map.html"])
def test_pixels_inside_large_states_have_their_legend_colour(browser, outputs, name):
    browser.open(outputs / name)
    shot = browser.screenshot()
    for code, ((lon, lat), status) in POINTS.items():
        x, y = page_point(browser, lon, lat)
        got = shot.getpixel((round(x), round(y)))
        want = hex_rgb(pictures.STATUS_COLOURS[status])
        assert max(abs(a - b) for a, b in zip(got, want)) <= 6, (name, code, got, want)


def test_hovering_a_state_shows_its_name_status_and_dates(browser, outputs):
    browser.open(outputs / "map.html")
    assert browser.evaluate("getComputedStyle(document.getElementById('tip')).display") == "none"
    x, y = page_point(browser, -52, -10)
    browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x, y=y)
    tip = browser.evaluate("(() => { const t = document.getElementById('tip');"
                           " return [getComputedStyle(t).display, t.dataset.for, t.innerText]; })()")
    display, owner, text = tip
    assert (display, owner) == ("block", "BRA")
    assert text.splitlines()[:2] == ["Brazil", "Party since 1999-10-01"]
    assert "Ratified: 1999-04-30" in text


def test_the_chart_page_draws_both_series(browser, outputs):
    browser.open(outputs / "chart.html")
    found = browser.evaluate("[...document.querySelectorAll('polyline')].map(p => p.id)")
    assert sorted(found) == ["signatories", "states_parties"]
    shot = browser.screenshot()
    green = hex_rgb(pictures.STATUS_COLOURS["party"])
    colours = shot.getcolors(maxcolors=shot.width * shot.height)
    assert sum(n for n, p in colours if max(abs(a - b) for a, b in zip(p, green)) <= 6) > 500
