"""Hypothesis strategies for tuoyu_rules, shared by every test module (``from strategies import ...``).

Facilities are drawn for any registered jurisdiction whose level is ``city`` or ``district``, read from
:func:`tuoyu_rules.list_jurisdictions` when the strategy is drawn, so jurisdictions added later are covered
without changing this file. Designations are drawn from the designation ids of the facility's own chain
(city or district, province, national), with years around the known batches and, sometimes, an amount
pinned inside the programme's range for that year.

No strategy here produces a float: money is ``int``, ``str`` or ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.core.money import MAX_MONEY, ROUNDING_MODES

FIRST_DAY = dt.date(2018, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)
YEARS = (2018, 2030)
MAX_TEST_PLACES = 400
"""Facilities in the strategies have at most this many places (the model allows far more)."""


# -- jurisdictions ------------------------------------------------------------------------------------


def facility_jurisdictions() -> tuple[str, ...]:
    """Ids of every registered jurisdiction a facility can be in (level city or district), sorted."""
    return tuple(jid for jid in tr.list_jurisdictions() if tr.get_policy(jid).level in ("city", "district"))


def city_ids() -> tuple[str, ...]:
    """Ids of every registered jurisdiction of level ``city``."""
    return tuple(jid for jid in tr.list_jurisdictions() if tr.get_policy(jid).level == "city")


@st.composite
def jurisdiction_ids(draw: st.DrawFn) -> str:
    """One facility jurisdiction (city or district), drawn from the registry as it stands."""
    return draw(st.sampled_from(facility_jurisdictions()))


def dates() -> st.SearchStrategy[dt.date]:
    """Days from 2018 to 2030: before, across and after every batch and dated value the sources give."""
    return st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def rounding_modes() -> st.SearchStrategy[str]:
    return st.sampled_from(ROUNDING_MODES)


# -- money ------------------------------------------------------------------------------------------------


def money_decimals(max_value: Decimal = MAX_MONEY) -> st.SearchStrategy[Decimal]:
    """Valid amounts as Decimals with at most two decimals, from 0 to ``max_value``."""
    fen = st.integers(min_value=0, max_value=int(max_value * 100))
    edges = st.sampled_from([Decimal("0"), Decimal("0.01"), Decimal("50000"), max_value])
    return st.one_of(edges, fen.map(lambda n: Decimal(n) / 100), st.decimals(0, max_value, places=2))


def money_inputs(max_value: Decimal = MAX_MONEY) -> st.SearchStrategy[int | str | Decimal]:
    """Valid money inputs in every accepted form: int, str (plain or with two decimals) and Decimal."""
    return st.one_of(
        st.integers(min_value=0, max_value=int(max_value)),
        money_decimals(max_value).map(str),
        money_decimals(max_value).map(lambda d: format(d, "f")),
        money_decimals(max_value),
    )


def sub_fen_decimals() -> st.SearchStrategy[Decimal]:
    """Amounts with a non-zero third (or later) decimal: refused, never rounded."""
    return st.builds(
        lambda fen, extra, digits: Decimal(fen) / 100 + Decimal(extra) / Decimal(10) ** digits,
        st.integers(min_value=0, max_value=10**12),
        st.integers(min_value=1, max_value=9),
        st.integers(min_value=3, max_value=8),
    )


@st.composite
def amount_ranges(draw: st.DrawFn, *, bounded: bool | None = None, max_value: Decimal = MAX_MONEY) -> tr.AmountRange:
    """Valid :class:`~tuoyu_rules.AmountRange` values: ``low <= high``, sometimes unbounded, sometimes tiered."""
    low = draw(money_decimals(max_value))
    has_high = draw(st.booleans()) if bounded is None else bounded
    if not has_high:
        return tr.AmountRange.of(low, None)
    high = draw(money_decimals(max_value).filter(lambda h: h >= low))
    if high > low and draw(st.booleans()):
        middle = draw(st.lists(money_decimals(max_value).filter(lambda v: low < v < high), max_size=3, unique=True))
        return tr.AmountRange.of(low, high, allowed=(low, *sorted(middle), high))
    return tr.AmountRange.of(low, high)


@st.composite
def value_inside(draw: st.DrawFn, amount: tr.AmountRange) -> Decimal:
    """A value a range accepts: one of its allowed values, or a fen amount between its bounds."""
    if amount.allowed is not None:
        return draw(st.sampled_from(amount.allowed))
    high = amount.high if amount.high is not None else min(MAX_MONEY, amount.low + Decimal(1_000_000))
    fen = draw(st.integers(min_value=int(amount.low * 100), max_value=int(high * 100)))
    return Decimal(fen) / 100


# -- designations and facilities --------------------------------------------------------------------------


def designation_ids(jurisdiction: str) -> tuple[str, ...]:
    """The designation ids of a jurisdiction's chain (itself and every layer above)."""
    return tuple(sorted(d.id for policy in tr.chain(jurisdiction) for d in policy.designations))


@st.composite
def designations_for(draw: st.DrawFn, jurisdiction: str) -> tuple[tr.Designation, ...]:
    """A set of designations (each id at most once) from the chain of ``jurisdiction``."""
    ids = designation_ids(jurisdiction)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))) if ids else []
    result: list[tr.Designation] = []
    for did in chosen:
        year = draw(st.integers(min_value=YEARS[0], max_value=YEARS[1]))
        amount: Decimal | None = None
        policy = tr.get_policy(did.split(".", 1)[0])
        allowed = policy.designation_range(did, year)
        if draw(st.booleans()):
            amount = draw(value_inside(allowed if allowed is not None else tr.AmountRange.of(0, None)))
        result.append(tr.Designation(did, year, amount))
    return tuple(result)


@st.composite
def facility_data(draw: st.DrawFn, jurisdiction: str | None = None) -> dict[str, Any]:
    """Plain JSON-like data for a valid facility (what ``Facility.model_validate`` accepts)."""
    jid = jurisdiction if jurisdiction is not None else draw(jurisdiction_ids())
    places = draw(st.integers(min_value=0, max_value=MAX_TEST_PLACES))
    enrolled = draw(st.integers(min_value=0, max_value=places))
    data: dict[str, Any] = {
        "jurisdiction": jid,
        "mode": draw(st.sampled_from(tr.MODES)),
        "self_built": draw(st.booleans()),
        "places": places,
        "enrolled": enrolled,
        "embedded": draw(st.booleans()),
        "designations": draw(designations_for(jid)),
    }
    optional_bools = ("full_day", "staff_puhui_fees", "registered", "filed", "union_dues_paid", "alliance_member")
    for name in optional_bools:
        data[name] = draw(st.none() | st.booleans())
    data["first_intake"] = draw(st.none() | st.integers(min_value=0, max_value=max(enrolled, 0)))
    data["full_day_enrolled"] = draw(st.none() | st.integers(min_value=0, max_value=enrolled))
    data["staff_children"] = draw(st.none() | st.integers(min_value=0, max_value=enrolled))
    if draw(st.booleans()) and enrolled > 0:
        # Children in each class are enrolled children: their sum stays within ``enrolled``.
        sizes = draw(st.lists(st.integers(min_value=1, max_value=min(25, enrolled)), min_size=1, max_size=6))
        while sum(sizes) > enrolled:
            sizes.pop()
        data["classes"] = tuple(sizes) if sizes else None
    return data


@st.composite
def facilities(draw: st.DrawFn, jurisdiction: str | None = None) -> tr.Facility:
    """A valid :class:`~tuoyu_rules.Facility` in any registered city or district (or in ``jurisdiction``)."""
    return tr.Facility.model_validate(draw(facility_data(jurisdiction)))
