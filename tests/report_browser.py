"""Open a page in headless Chromium: its DOM after the scripts ran, its console, a screenshot.

Used by tests/test_report.py, and on its own to time a report:

    .venv/bin/python tests/report_browser.py OUT/report.html [--screenshot shot.png]

The page's own script records when it was ready and when it loaded
(`data-ready-ms`, `data-load-ms` on <html>, from navigation start); the
console is read from Chromium's log on stderr, where every console message
and uncaught error of the page is a `CONSOLE` line.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")
TIMEOUT_SECONDS = 120
_CONSOLE = re.compile(r":CONSOLE(?:[:(]\d+\)?)?\] (.*)")
_TIMING = re.compile(r'data-(ready|load)-ms="(\d+)"')


@dataclass(frozen=True, slots=True)
class PageRun:
    """What one headless run of a page gave: the DOM, the console lines, the time taken."""

    dom: str
    console: tuple[str, ...]
    seconds: float

    def timing(self, name: str) -> int | None:
        """The page's own `data-<name>-ms` mark (ready, load), when it set one."""
        found = dict(_TIMING.findall(self.dom))
        return int(found[name]) if name in found else None


def chromium() -> str | None:
    """The Chromium binary on PATH, if any."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _run(page: Path, extra: list[str], profile: Path, fragment: str = "") -> tuple[str, str, float]:
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("no chromium on PATH")
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, f"{page.resolve().as_uri()}#{fragment}"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    return done.stdout, done.stderr, time.perf_counter() - started


def open_page(page: Path, profile: Path, fragment: str = "") -> PageRun:
    """The page's DOM once loaded (scripts run) and its console output; `fragment` goes after `#`."""
    extra = ["--enable-logging=stderr", "--v=0", "--dump-dom"]  # the DOM is dumped once the page has loaded
    stdout, stderr, seconds = _run(page, extra, profile, fragment)
    console = tuple(m[1] for line in stderr.splitlines() if (m := _CONSOLE.search(line)))
    return PageRun(stdout, console, seconds)


def screenshot(page: Path, png: Path, profile: Path, size: str = "1280,2200") -> None:
    """A PNG of the page's first `size` pixels."""
    _run(page, [f"--screenshot={png.resolve()}", f"--window-size={size}"], profile)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time a report page in headless Chromium")
    parser.add_argument("page", type=Path)
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{args.page}: {args.page.stat().st_size / 1e6:.2f} MB")
    with tempfile.TemporaryDirectory() as profile:
        for _ in range(args.runs):
            run = open_page(args.page, Path(profile))
            print(f"ready {run.timing('ready')} ms, load {run.timing('load')} ms after navigation start; "
                  f"chromium process {run.seconds:.2f} s; console lines: {len(run.console)}")
        if args.screenshot:
            screenshot(args.page, args.screenshot, Path(profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
