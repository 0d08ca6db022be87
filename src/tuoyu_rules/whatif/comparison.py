"""Comparing cities: the same facility moved to each city (every registered city by default), assessed on one
day under the law or a reform, with pins for the programmes of each city's own layers.

A broken jurisdiction plugin never stops a comparison of every city: a plugin city that fails to load, or whose
rules fail (:class:`~tuoyu_rules.core.errors.PluginError`), is left out and named in
:attr:`Comparison.skipped` with the reason, in the language asked (and as data, code and both texts, in
:attr:`Comparison.skipped_explanation`), as ``tuoyu compare`` reports it on standard error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import Field

from ..batch.stream import Progress, with_progress
from ..core.engine import assess
from ..core.error_text import error_explanations
from ..core.errors import InvalidInput, PluginError
from ..core.messages import DEFAULT_LANG, Explanation, Lang, check_lang
from ..core.models import Facility
from ..core.money import DEFAULT_ROUNDING, in_money_context
from ..core.reforms import Reform
from ..core.registry import chain, get_policy, list_jurisdictions
from ..core.results import Assessment, FrozenModel, PayerTotal
from ..io.export import Table, cell_text, entries_table

__all__ = ["Comparison", "city_ids", "compare", "usable_cities"]


class Comparison(FrozenModel):
    """The same facility assessed in several cities on one day (under the law, or a reform)."""

    on: dt.date
    reform: str | None
    assessments: dict[str, Assessment]
    """City id -> assessment of the facility moved there, in the order of the cities asked for."""
    skipped: dict[str, str] = Field(default_factory=dict)
    """Jurisdiction plugin id -> why it was left out of a comparison of every city (it failed to load, or
    one of its rules failed), in the language asked (``compare(..., lang=)``); empty when every city was assessed."""
    skipped_explanation: dict[str, Explanation] = Field(default_factory=dict)
    """The reasons of ``skipped`` as data, by the same ids: the error's code, its params, ``zh`` and ``en``
    (:func:`~tuoyu_rules.core.error_text.error_explanations`)."""

    def to_json_data(self) -> dict[str, Any]:
        """What ``tuoyu compare --format json`` prints: ``{city: Assessment.model_dump(mode="json")}``."""
        return {city: a.model_dump(mode="json") for city, a in self.assessments.items()}

    def table(self) -> list[dict[str, str]]:
        """One row per city and entry (entitlements, then obligations); amounts as strings with two decimals."""
        entries = entries_table("entries", list(self.assessments.items()))
        columns = tuple("city" if c == "jurisdiction" else c for c in entries.columns)  # with facility_id (issue 15)
        return [dict(zip(columns, map(cell_text, row), strict=True)) for row in entries.rows]

    def totals(self) -> dict[str, tuple[PayerTotal, ...]]:
        """City id -> eligible amounts by payer and basis (undetermined entries counted apart)."""
        return {city: a.totals() for city, a in self.assessments.items()}

    def export_tables(self) -> tuple[Table, ...]:
        """The table :func:`tuoyu_rules.io.export.tables` writes: ``entries``, one row per city and entry."""
        return (entries_table("entries", list(self.assessments.items())),)


def city_ids() -> tuple[str, ...]:
    """Every registered jurisdiction of level ``city`` that loads, sorted (what ``tuoyu compare`` covers).

    A plugin that fails to load is left out: :func:`usable_cities` says why.
    """
    return usable_cities()[0]


def usable_cities() -> tuple[tuple[str, ...], tuple[PluginError, ...]]:
    """Every registered city that loads, sorted, and the error of each jurisdiction plugin that does not.

    A built-in jurisdiction that fails to load is a bug of the library, never skipped: its error is raised.
    """
    cities: list[str] = []
    broken: list[PluginError] = []
    for jid in list_jurisdictions():
        try:
            if get_policy(jid).level == "city":
                cities.append(jid)
        except PluginError as exc:
            broken.append(exc)
    return tuple(cities), tuple(broken)


@in_money_context
def compare(
    facility: Facility,
    *,
    on: dt.date,
    cities: Sequence[str] | None = None,
    reform: Reform | None = None,
    rounding: str = DEFAULT_ROUNDING,
    pins: Mapping[str, int | str | Decimal] | None = None,
    lang: Lang = DEFAULT_LANG,
    progress: Progress | None = None,
) -> Comparison:
    """Assess ``facility`` moved to each of ``cities`` (default: every registered city), with reasons in ``lang``.

    ``pins`` may name programmes of several cities; each city gets the pins of its own layers (as
    ``tuoyu compare --pin`` does). A city id that is unknown, or not a city or district, is an error.

    With ``cities=None`` a broken jurisdiction plugin (one that fails to load, or whose rule fails:
    :class:`~tuoyu_rules.PluginError`) is skipped and named in :attr:`Comparison.skipped`; the built-in
    cities are compared as usual. A city the caller names is never skipped: its error is raised.

    ``progress``: a function called with the number of cities done so far, after each city (counts only: it
    changes nothing).
    """
    if isinstance(cities, str) or not isinstance(cities, Iterable | None):  # issue 15: one error family
        problem = "a list of city ids, not a {type}"
        raise InvalidInput.coded("cities", "error.compare.cities", problem, type=type(cities).__name__)
    lang = check_lang(lang)
    skipped: dict[str, Explanation] = {}
    if cities is None:
        targets, broken = usable_cities()
        skipped.update((_plugin_id(exc), error_explanations(exc)[0]) for exc in broken)
    else:
        targets = tuple(cities)
    results: dict[str, Assessment] = {}
    for city in with_progress(targets, progress, every=1):
        try:
            layer_ids = {p.id for p in chain(city)}
            city_pins = {k: v for k, v in (pins or {}).items() if k.split(".", 1)[0] in layer_ids}
            results[city] = assess(
                facility, jurisdiction=city, on=on, rounding=rounding, pins=city_pins or None, reform=reform, lang=lang
            )
        except PluginError as exc:
            if cities is not None:
                raise
            skipped[city] = error_explanations(exc)[0]
    name = None if reform is None else reform.name
    why = dict(sorted(skipped.items()))
    texts = {city: e.text(lang) for city, e in why.items()}
    return Comparison(on=on, reform=name, assessments=results, skipped=texts, skipped_explanation=why)


def _plugin_id(exc: PluginError) -> str:
    """The id of the plugin an error is about (its entry point's name), or the message when it has none."""
    return exc.plugin if exc.plugin is not None else str(exc)
