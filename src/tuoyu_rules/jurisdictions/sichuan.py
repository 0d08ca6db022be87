"""Sichuan province (四川省): the layer above Chengdu (成都市).

* Its union (``sichuan.union``, 四川省总工会) is the payer of the national caring-employer award's provincial
  match (``cn.caring_employer_provincial_match``, payer ``{province}.union``) for facilities in its cities.
* The 普惠 subsidy: 200 yuan per full-day enrolled child per month for a facility recognised as 普惠 at county
  level and filed (备案); in force 2025-08-30 for 2 years (to 2027-08-29). "Half of the subsidy funds will be
  covered by the provincial government, with the remainder paid by city and county authorities" (China Daily
  2025-08-22, an English report: secondary), so it is two entitlements, one per published share, each with
  its own payer and the same ``children`` (full-day enrolled): ``sichuan.puhui_subsidy`` is the provincial
  half (100, payer ``sichuan.government``); ``sichuan.puhui_subsidy_city_county`` (the id of the whole with
  ``_city_county``) is the rest (100), paid jointly by the facility's city and county: the joint payer
  ``<city>.government+<city>.county_government`` when the city layer declares both (Chengdu), else
  ``sichuan.city_government+sichuan.county_government``. The shares add up to the whole exactly (the
  city-and-county share is the whole less the provincial one); a designation's amount pins the whole.

References: seed 000 (the provincial match); 四川省普惠托育服务机构认定及补助管理办法（试行）, as reported by
雅安日报 (official; summaries in our own words, since the measure's own wording was not seen, except the
exclusion, quoted exactly as 雅安日报 printed it: kindergartens with no separate 托班 that mix children under 3
with preschool children are outside the subsidy, and a kindergarten's 托班 cannot also take preschool money;
``Facility.mixed_with_preschool`` and ``Facility.preschool_subsidy``: True is ineligible, not supplied is listed
in ``missing`` and changes nothing).

Limitations: the measure's end date is computed (two years from 2025-08-30 end on 2027-08-29); the split and
its payers are a reading of an English report (no Chinese text on who pays was seen); county recognition is a
fact the caller gives (designation ``sichuan.puhui``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ..core.amounts import AmountRange
from ..core.context import RuleContext
from ..core.loading import JOINT, load_builtin
from ..core.messages import Message, msg
from ..core.policy import Outcome, Policy, Rule

PUHUI = "sichuan.puhui_subsidy"
CITY_COUNTY = f"{PUHUI}_city_county"
PROVINCIAL_SHARE = f"{PUHUI}.provincial_share"
EXCLUSION = "sichuan.puhui_exclusion"


def _whole(ctx: RuleContext) -> Outcome:
    """普惠托育服务机构补助, the whole: 200 yuan per full-day enrolled child per month (recognised 普惠, filed)."""
    found = ctx.designated_amount(
        f"{PUHUI}.amount",
        msg("sichuan.puhui.not_recognised", designation="sichuan.puhui"),
        msg("sichuan.puhui.no_amount", on=ctx.on),
    )
    if isinstance(found, Outcome):
        return found
    designation, amount = found
    ctx.cite("sichuan.puhui_term")
    ctx.cite("sichuan.puhui_conditions")
    f = ctx.facility
    if f.filed is False:
        return ctx.ineligible(msg("sichuan.puhui.not_filed"))
    # The exclusion (雅安日报, quoted in sichuan.puhui_exclusion): facts the caller gives; unsupplied, listed in
    # missing without changing the status (a refinement's fact, as the contract says).
    ctx.cite(EXCLUSION)
    unsupplied, excluded = ctx.conditions(
        (
            "mixed_with_preschool",
            None if f.mixed_with_preschool is None else not f.mixed_with_preschool,
            msg("sichuan.puhui.mixed_with_preschool"),
        ),
        (
            "preschool_subsidy",
            None if f.preschool_subsidy is None else not f.preschool_subsidy,
            msg("sichuan.puhui.preschool_subsidy"),
        ),
    )
    if excluded:
        return ctx.ineligible(*excluded)
    if f.full_day_enrolled == 0:
        return ctx.ineligible(msg("sichuan.puhui.no_full_day"))
    start, end = ctx.program.start, ctx.program.end
    reasons: list[Message] = [
        msg("sichuan.puhui.recognised", year=designation.year, amount=amount, start=start, end=end)
        if start is not None and end is not None
        else msg("sichuan.puhui.recognised_undated", year=designation.year, amount=amount)
    ]
    missing: list[str] = []
    if f.full_day_enrolled is None:
        missing.append("full_day_enrolled")
        reasons.append(msg("sichuan.puhui.full_day_missing", field="full_day_enrolled"))
    else:
        monthly, note = ctx.scale(amount, f.full_day_enrolled, "monthly_total")
        reasons.append(msg("sichuan.puhui.monthly", children=f.full_day_enrolled, monthly=monthly))
        if note:
            reasons.append(note)
    if unsupplied:
        missing.extend(unsupplied)
        reasons.append(msg("sichuan.puhui.exclusion_missing", fields=unsupplied))
    if f.filed is None:
        missing.append("filed")
        reasons.append(msg("sichuan.puhui.filed_missing"))
    # The count the measure reads is full-day enrolled children (None when not supplied: listed in missing).
    return dataclasses.replace(ctx.eligible(amount, *reasons, missing=tuple(missing)), children=f.full_day_enrolled)


def puhui_subsidy(ctx: RuleContext) -> Outcome:
    """The provincial half: "Half of the subsidy funds will be covered by the provincial government"."""
    return _share(ctx, provincial=True)


def puhui_subsidy_city_county(ctx: RuleContext) -> Outcome:
    """The rest, "paid by city and county authorities": jointly by the facility's city and county."""
    return _share(ctx, provincial=False)


def _share(ctx: RuleContext, *, provincial: bool) -> Outcome:
    """One published share of the whole subsidy: the provincial half, or the whole less that half."""
    whole = _whole(ctx)
    if whole.status == "ineligible":
        return whole
    amount, reasons = whole.amount, list[Message]()
    if ctx.pin is not None and ctx.pin_field.startswith("designations["):  # the awarded whole, not a share
        if amount.contains(ctx.pin):
            amount = AmountRange.exactly(ctx.pin)
            reasons.append(msg("sichuan.puhui.whole_pinned", amount=ctx.pin, field=ctx.pin_field))
        else:
            reasons.append(msg("sichuan.puhui.pin_outside", amount=ctx.pin, field=ctx.pin_field, range=amount))
        ctx.pin = None  # applied here, to the whole: the engine must not pin this share to it
    ratio = ctx.ratio(PROVINCIAL_SHARE)
    if ratio is None:
        return dataclasses.replace(
            whole,
            status="undetermined",
            amount=AmountRange.of(0, amount.high),
            reasons=(msg("sichuan.puhui.shares_not_stated"), *whole.reasons),
        )
    half, note = ctx.scale(amount, ratio.value, "provincial_share")
    if provincial:
        share, payer = half, None
        what = msg("sichuan.puhui.provincial_share", ratio=format(ratio.value, "f"), share=half, whole=amount)
    else:
        high = None if amount.high is None or half.high is None else amount.high - half.high
        share = AmountRange.of(amount.low - half.low, high)
        city = ctx.layer("city")
        payer = None
        if city is not None and {f"{city.id}.government", f"{city.id}.county_government"} <= set(city.payers):
            payer = f"{city.id}.government{JOINT}{city.id}.county_government"
        what = msg("sichuan.puhui.city_county_share", share=share, whole=amount)
    reasons.insert(0, what)
    if note:
        reasons.append(note)
    return dataclasses.replace(whole, amount=share, reasons=(*reasons, *whole.reasons), payer=payer or whole.payer)


RULES: Mapping[str, Rule] = {PUHUI: puhui_subsidy, CITY_COUNTY: puhui_subsidy_city_county}


def load() -> Policy:
    return load_builtin("sichuan", RULES)
