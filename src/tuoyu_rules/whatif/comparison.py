"""Comparing cities: the same facility moved to each city (every registered city by default), assessed on one
day under the law or a reform, with pins for the programmes of each city's own layers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..core.engine import assess
from ..core.errors import InvalidInput
from ..core.models import Facility
from ..core.money import DEFAULT_ROUNDING
from ..core.reforms import Reform
from ..core.registry import chain, get_policy, list_jurisdictions
from ..core.results import Assessment, FrozenModel, PayerTotal
from ..io.export import Table, cell_text, entries_table

__all__ = ["Comparison", "city_ids", "compare"]


class Comparison(FrozenModel):
    """The same facility assessed in several cities on one day (under the law, or a reform)."""

    on: dt.date
    reform: str | None
    assessments: dict[str, Assessment]
    """City id -> assessment of the facility moved there, in the order of the cities asked for."""

    def to_json_data(self) -> dict[str, Any]:
        """What ``tuoyu compare --format json`` prints: ``{city: Assessment.model_dump(mode="json")}``."""
        return {city: a.model_dump(mode="json") for city, a in self.assessments.items()}

    def table(self) -> list[dict[str, str]]:
        """One row per city and entry (entitlements, then obligations); amounts as strings with two decimals."""
        entries = entries_table("entries", list(self.assessments.items()))
        columns = ("city", *entries.columns[1:])
        return [dict(zip(columns, map(cell_text, row), strict=True)) for row in entries.rows]

    def totals(self) -> dict[str, tuple[PayerTotal, ...]]:
        """City id -> eligible amounts by payer and basis (undetermined entries counted apart)."""
        return {city: a.totals() for city, a in self.assessments.items()}

    def export_tables(self) -> tuple[Table, ...]:
        """The table :func:`tuoyu_rules.io.export.tables` writes: ``entries``, one row per city and entry."""
        return (entries_table("entries", list(self.assessments.items())),)


def city_ids() -> tuple[str, ...]:
    """Every registered jurisdiction of level ``city``, sorted (what ``tuoyu compare`` covers)."""
    return tuple(j for j in list_jurisdictions() if get_policy(j).level == "city")


def compare(
    facility: Facility,
    *,
    on: dt.date,
    cities: Sequence[str] | None = None,
    reform: Reform | None = None,
    rounding: str = DEFAULT_ROUNDING,
    pins: Mapping[str, int | str | Decimal] | None = None,
) -> Comparison:
    """Assess ``facility`` moved to each of ``cities`` (default: every registered city).

    ``pins`` may name programmes of several cities; each city gets the pins of its own layers (as
    ``tuoyu compare --pin`` does). A city id that is unknown, or not a city or district, is an error.
    """
    targets = city_ids() if cities is None else tuple(cities)
    if isinstance(cities, str):
        raise InvalidInput("cities", "a list of city ids, not one string")
    results: dict[str, Assessment] = {}
    for city in targets:
        layer_ids = {p.id for p in chain(city)}
        city_pins = {k: v for k, v in (pins or {}).items() if k.split(".", 1)[0] in layer_ids}
        results[city] = assess(
            facility, jurisdiction=city, on=on, rounding=rounding, pins=city_pins or None, reform=reform
        )
    return Comparison(on=on, reform=None if reform is None else reform.name, assessments=results)
