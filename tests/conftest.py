"""Shared test setup: hypothesis profiles, the import path for ``strategies``, and small fixtures.

Profiles (select with ``HYPOTHESIS_PROFILE=<name>``; ``ci`` is chosen automatically when ``CI`` is set):

* ``dev`` (default): 100 examples, no deadline (the first assessment loads policy files);
* ``ci``: the same, derandomized so a CI run is reproducible;
* ``thorough``: 1,000 examples, for a long local run.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Test modules anywhere under tests/ (tests/jurisdictions/ too) can ``import strategies``, whatever the
# pytest import mode.
_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

import tuoyu_rules as tr  # noqa: E402

_SLOW = (HealthCheck.too_slow,)
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=_SLOW)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=_SLOW, derandomize=True, print_blob=True
)
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=_SLOW)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# The command line's default language follows the environment (TUOYU_LANG, then the locale): tests that run it
# read English unless they ask for Chinese (--lang zh), whatever the machine's locale.
os.environ["TUOYU_LANG"] = "en"

DAY = dt.date(2024, 6, 1)
"""A day on which every programme of cn, fujian and xiamen is in force (none states dates)."""


@pytest.fixture
def day() -> dt.date:
    return DAY


@pytest.fixture
def xiamen_self_built() -> tr.Facility:
    """A self-built, self-run (自建自办) Xiamen facility with no refinement facts and no designation."""
    return tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
