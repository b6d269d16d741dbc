"""The wheel ships the rules: build it, install it in a fresh venv, run it from elsewhere.

The venv is made without pip and the wheel installed into it with this
interpreter's pip (`pip --python`). Its dependencies are not downloaded
again: a `.pth` file points the venv at the directory this environment's
dependencies are in, after its own site-packages, so the `cleaner` imported
is the installed copy. (A `.pth` line only adds a directory to the path; the
editable install's own hook in that directory is not run.)

Skipped only when the wheel cannot be built for want of a package index
(the build backend, setuptools, comes from it); any other build failure fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from cleaner import default_rule_book

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.cfg", "README.md", "cleaner", "rules")
OFFLINE_SIGNS = (
    "Could not find a version that satisfies", "No matching distribution found", "NewConnectionError",
    "Network is unreachable", "Temporary failure in name resolution", "Max retries exceeded", "ProxyError",
)
TIMEOUT = 300  # seconds for one step (building may fetch the build backend)


def _run(argv: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run(argv, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def _build_wheel(tmp: Path) -> Path:
    source = tmp / "src"
    source.mkdir()
    for name in SOURCES:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif path.exists():
            shutil.copy2(path, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp / "dist"), str(source)], cwd=tmp)
    output = built.stdout + built.stderr
    if built.returncode != 0 and any(sign in output for sign in OFFLINE_SIGNS):
        pytest.skip(f"cannot build a wheel offline (the build backend comes from the package index): {output[-300:]}")
    assert built.returncode == 0, output
    (wheel,) = (tmp / "dist").glob("cleaner-*.whl")
    return wheel


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project's wheel installed; returns its bin directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(tmp)
    home = tmp / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(home)], cwd=tmp).returncode == 0
    python = home / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                      str(wheel)], cwd=tmp)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp)
                .stdout.strip())
    dependencies = {Path(yaml.__file__).resolve().parent.parent, Path(sysconfig.get_path("purelib"))}
    (site / "_cleaner_test_dependencies.pth").write_text("".join(f"{d}\n" for d in sorted(dependencies)))
    return home / "bin"


def test_rules_check_passes_with_the_installed_rules(venv: Path, tmp_path: Path) -> None:
    done = _run([str(venv / "cleaner"), "rules", "check"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(": 0 example failure(s)")


def test_the_rules_are_loaded_from_the_installed_copy(venv: Path, tmp_path: Path) -> None:
    script = (
        "import cleaner, cleaner.rulefiles as rf\n"
        "print(cleaner.__file__)\n"
        "print(rf.rules_root())\n"
        "print('\\n'.join(rf.default_rule_book().files))\n"
    )
    done = _run([str(venv / "python"), "-c", script], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    module, root, *files = done.stdout.strip().split("\n")
    home = venv.parent.resolve()
    assert Path(module).resolve().is_relative_to(home)
    assert Path(root).resolve().is_relative_to(home) and "site-packages" in Path(root).parts
    assert files == list(default_rule_book().files), "the wheel does not ship every rule file of rules/"


def test_the_installed_command_cleans_stdin(venv: Path, tmp_path: Path) -> None:
    seed = REPO_ROOT / "tests" / "golden" / "seed-sputnik-fr" / "000_2e4d54bf42a527fd"
    done = _run([str(venv / "cleaner"), "clean", "-"], cwd=tmp_path, stdin=seed.with_suffix(".txt").read_text("utf-8"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == seed.with_suffix(".expected.txt").read_text("utf-8")
