"""Shared fixtures of the test suite, and the hypothesis profiles.

Hypothesis runs with random seeds on a developer's machine (to find new
cases) and derandomized under CI (`CI=true`), so that a CI run is
reproducible; `pytest --hypothesis-profile=thorough` searches longer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_INPUT = REPO_ROOT / "tests" / "golden" / "seed-sputnik-fr" / "000_2e4d54bf42a527fd.txt"

settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True, database=None)
# pytest --hypothesis-profile=thorough
settings.register_profile("thorough", parent=settings.get_profile("dev"), max_examples=2000)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project's root directory (where pyproject.toml is)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The Sputnik France seed: a French article with Sputnik's residue."""
    return SEED_INPUT.read_text(encoding="utf-8")


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file below tmp_path (text as UTF-8, bytes as they are); returns its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write
