"""Sweeping a parameter: one :class:`~tuoyu_rules.Reform` per value of one parameter, and the totals of a
facility or a portfolio under each (a :class:`~tuoyu_rules.whatif.Budget`), beside the baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..batch.stream import Progress
from ..core.amounts import AmountRange
from ..core.errors import InvalidInput
from ..core.messages import DEFAULT_LANG, Lang
from ..core.money import DEFAULT_ROUNDING, in_money_context
from ..core.reforms import Reform
from .budgets import Portfolio, budget

if TYPE_CHECKING:
    from .budget_results import Budget

__all__ = ["sweep", "sweep_reforms"]


@in_money_context
def sweep_reforms(parameter: str, values: Sequence[Mapping[str, Any] | AmountRange], *, name: str = "") -> list[Reform]:
    """One reform per value of ``parameter``; a value is a parameter value table or an :class:`AmountRange`."""
    if not isinstance(parameter, str):  # issue 15: one error family (an unhashable one was a TypeError)
        problem = "a parameter name, not a {type}"
        raise InvalidInput.coded("parameter", "error.sweep.parameter", problem, type=type(parameter).__name__)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise InvalidInput.coded("values", "error.sweep.values", "a non-empty list of parameter values")
    reforms = []
    for i, raw in enumerate(values):
        table = _value_table(raw, f"values[{i}]")
        label = name or parameter
        reforms.append(
            Reform.from_dict(
                {
                    "name": f"{label} = {_render(table)}",
                    "description": f"sweep of {parameter}, value {i + 1} of {len(values)}",
                    "parameters": {parameter: [table]},
                }
            )
        )
    return reforms


_EXAMPLE_TABLE = "{'kind': 'range', 'low': '20000', 'high': '30000'}"
"""A parameter value table, as an error shows one."""


def _value_table(raw: Mapping[str, Any] | AmountRange, where: str) -> dict[str, Any]:
    if isinstance(raw, AmountRange):
        table: dict[str, Any] = {"kind": "range", "low": str(raw.low)}
        if raw.high is not None:
            table["high"] = str(raw.high)
        if raw.allowed is not None:
            table["allowed"] = [str(v) for v in raw.allowed]
        return table
    if not isinstance(raw, Mapping):
        problem = "a parameter value table such as {example}"
        raise InvalidInput.coded(where, "error.sweep.value", problem, example=_EXAMPLE_TABLE)
    return dict(raw)


def _render(table: Mapping[str, Any]) -> str:
    if table.get("kind") == "range":
        high = table.get("high")
        return f"{table.get('low')}-{'' if high is None else high}"
    keys = [k for k in ("ratio", "count", "low", "high") if k in table]
    return ", ".join(f"{k} {table[k]}" for k in keys) or str(table.get("kind"))


@in_money_context
def sweep(
    facilities: Portfolio | Callable[[], Portfolio],
    *,
    on: dt.date,
    parameter: str,
    values: Sequence[Mapping[str, Any] | AmountRange],
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    strategy: str | None = None,
    lang: Lang = DEFAULT_LANG,
    progress: Progress | None = None,
) -> Budget:
    """Totals of one facility or a portfolio under the law and under each value of ``parameter``.

    Returns a :class:`~tuoyu_rules.whatif.Budget` whose first scenario is the baseline and whose others are
    the swept values, in order (each reform named ``parameter = value``). The facilities are read once, all
    scenarios side by side, so a streamed portfolio stays flat in memory. ``facilities`` takes every form
    :func:`~tuoyu_rules.whatif.budget` takes (Facility objects, dicts, a CSV or JSON Lines path, a DataFrame),
    or a function returning one. ``lang``: the language of the open reasons (``"zh"`` or ``"en"``);
    ``jurisdiction``: apply this city's rules to every facility instead of its own (a what-if move);
    ``progress``: a function told the rows read so far, as :func:`~tuoyu_rules.whatif.budget` tells it.
    """
    reforms = sweep_reforms(parameter, values)
    source = facilities() if callable(facilities) else facilities
    options: dict[str, Any] = {"jurisdiction": jurisdiction, "rounding": rounding, "strategy": strategy}
    return budget(source, on=on, reforms=reforms, **options, lang=lang, progress=progress)
