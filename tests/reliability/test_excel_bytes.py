"""Issue 18, "to_excel is not byte-deterministic (openpyxl timestamps)": the workbook's created and modified dates
and every ZIP member's time stamp came from the clock, so the same result gave different bytes a second later.

They are now fixed at ``WORKBOOK_TIME``: the same result gives the same bytes, whatever the clock says.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
import types
import zipfile
from pathlib import Path

import pytest

from tuoyu_rules import Facility
from tuoyu_rules.io.export import WORKBOOK_TIME, to_excel
from tuoyu_rules.whatif import budget

ON = dt.date(2024, 6, 1)
FACILITY = Facility.model_validate(
    {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
)

openpyxl = pytest.importorskip("openpyxl")


class _Later(dt.datetime):
    """A clock eight years on (what openpyxl asks ``datetime.datetime.now``)."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Later:
        return cls(2032, 2, 29, 13, 14, 15, tzinfo=tz)


def _move_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's dates (``datetime.datetime.now``) and zipfile's member stamps (``time.time``) jump ahead."""
    later = types.SimpleNamespace(datetime=_Later, timezone=dt.timezone)
    monkeypatch.setattr(importlib.import_module("openpyxl.packaging.core"), "datetime", later)
    monkeypatch.setattr(importlib.import_module("openpyxl.writer.excel"), "datetime", later)
    ahead = time.time() + 8 * 366 * 86400
    monkeypatch.setattr(zipfile, "time", types.SimpleNamespace(time=lambda: ahead, localtime=time.localtime))


def test_the_same_result_gives_the_same_bytes_whatever_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = budget([FACILITY], on=ON)
    first = to_excel(result, tmp_path / "first.xlsx").read_bytes()
    _move_the_clock(monkeypatch)
    second = to_excel(result, tmp_path / "second.xlsx").read_bytes()
    assert first == second
    assert to_excel(result, tmp_path / "third.xlsx").read_bytes() == first


def test_the_workbook_and_its_members_carry_the_fixed_time(tmp_path: Path) -> None:
    path = to_excel(budget([FACILITY], on=ON), tmp_path / "b.xlsx")
    props = openpyxl.load_workbook(path).properties
    assert props.created == WORKBOOK_TIME
    assert props.modified == WORKBOOK_TIME
    with zipfile.ZipFile(path) as archive:
        stamps = {info.filename: info.date_time for info in archive.infolist()}
    assert "xl/worksheets/sheet1.xml" in stamps  # written by openpyxl from a temporary file
    assert set(stamps.values()) == {WORKBOOK_TIME.timetuple()[:6]}
