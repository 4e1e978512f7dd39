"""Shared fixtures: the repository's cases, and the shared ANAC domains found as the Rust tests find
them (``TRUCE_DOMAINS``, default ``../shared/domains`` beside the repository; under
``TRUCE_REQUIRE_SHARED=1`` a missing folder fails instead of skipping)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HARBOUR = REPO / "cases" / "harbour-truce.toml"
GAZA = REPO / "cases" / "gaza-2024"

# Agents used by the tests live in a module of their own, importable by worker processes.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _required() -> bool:
    value = os.environ.get("TRUCE_REQUIRE_SHARED", "")
    return value not in ("", "0")


@pytest.fixture(scope="session")
def domains() -> Path:
    path = Path(os.environ.get("TRUCE_DOMAINS", REPO.parent / "shared" / "domains"))
    if not (path / "reference.json").is_file():
        if _required():
            pytest.fail(f"{path} has no reference.json: set TRUCE_DOMAINS (TRUCE_REQUIRE_SHARED is set)")
        pytest.skip(f"{path} is absent (set TRUCE_DOMAINS): skipping the checks on the ANAC domains")
    return path


@pytest.fixture(scope="session")
def harbour():
    import truce

    return truce.load(HARBOUR)
