"""The rule context: what a rule function sees, and the readers and outcome makers it uses.

The engine builds one :class:`RuleContext` per programme and call: the facility, the day, the programme and
its layer, the chain of layers above, the grants already decided (for a matching duty), any reform and pin.
A rule reads parameters only through it, so the result can list every value used and the citation it rests
on, and it builds its :class:`~tuoyu_rules.core.policy.Outcome` with it. The shapes several jurisdictions
share (a designation that must be held, an amount that must be in force, facts that may be unsupplied) are
methods here, so each rule states only what is its own.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from .amounts import AmountRange
from .citations import Citation
from .errors import MoneyError, PolicyDataError
from .messages import Message, msg
from .money import DEFAULT_ROUNDING
from .parameters import Bracket, Choice, DatedValue, Parameter, ParameterUse, Ratio
from .policy import Level, Outcome, Policy, Program

if TYPE_CHECKING:
    from .models import Designation, Facility
    from .reforms import Reform
    from .results import Entitlement

_T = TypeVar("_T")

Fact = tuple[str, bool | None, Message]
"""A condition on a fact, for :meth:`RuleContext.conditions`: ``(field, met, unmet_reason)``; ``met`` is None
when the caller did not supply the fact."""


class Watch(Protocol):
    """An observer of one run of :func:`~tuoyu_rules.assess` (the batch cache's trace, :mod:`tuoyu_rules.batch.trace`).

    It changes nothing the engine computes: :meth:`outcome` gets each rule's outcome and returns it with any count
    the observer itself handed the rule as an opaque token (``children`` passed through unread) replaced by its
    value; :meth:`grants` gets the grants a rule may read and returns a view of the same grants that notes which
    the rule read. Set for one run through :data:`WATCH`; None (the normal case) costs one look-up per programme.
    """

    def outcome(self, program: str, outcome: Any) -> Any: ...

    def grants(self, entitlements: Mapping[str, Entitlement]) -> Mapping[str, Entitlement]: ...


WATCH: contextvars.ContextVar[Watch | None] = contextvars.ContextVar("tuoyu_engine_watch", default=None)
"""The :class:`Watch` of the current run, if any (set by the batch cache around a traced run)."""


class RuleContext:
    """What a rule sees: the facility, the day, its programme, and parameter readers that record each use.

    Rules read parameters only through this context (``range``, ``ratio``, ``count``, ``brackets``,
    ``choice``, ``value``), so the result can list every value used and the citation it rests on. The checks
    several rules share are methods too: :meth:`amount_in_force`, :meth:`designated` and
    :meth:`designated_amount` return what was asked for, or the ineligible :class:`Outcome` to return as it
    is; :meth:`conditions` sorts facts into those not supplied and those not met.
    """

    __slots__ = (
        "_cites",
        "_uses",
        "chain",
        "entitlements",
        "facility",
        "last_ratio",
        "on",
        "pin",
        "pin_field",
        "policy",
        "program",
        "reform",
        "rounding",
    )

    def __init__(
        self,
        *,
        facility: Facility,
        on: dt.date,
        program: Program,
        policy: Policy,
        chain: tuple[Policy, ...],
        rounding: str = DEFAULT_ROUNDING,
        entitlements: Mapping[str, Entitlement] | None = None,
        reform: Reform | None = None,
        pin: Decimal | None = None,
        pin_field: str = "",
    ) -> None:
        self.facility = facility
        self.on = on
        self.program = program
        self.policy = policy
        self.chain = chain
        self.rounding = rounding
        self.entitlements: Mapping[str, Entitlement] = entitlements or {}
        self.reform = reform
        self.pin = pin
        """The amount the caller pinned for this programme (a ``pins`` entry or a designation's amount)."""
        self.pin_field = pin_field
        self.last_ratio: Ratio | None = None
        self._uses: list[ParameterUse] = []
        self._cites: list[str] = list(program.base_cites)

    # -- reading parameters --------------------------------------------------------------------------
    def _parameter(self, name: str) -> tuple[Parameter, Policy]:
        for layer in (self.policy, *self.chain):
            param = layer.parameters.get(name)
            if param is not None:
                return param, layer
        raise PolicyDataError(f"rule {self.program.id} reads unknown parameter {name!r}")

    def value(self, name: str, *, batch: int | None = None) -> DatedValue | None:
        """The value of ``name`` on the assessed day (or for ``batch``), recorded; None if none applies."""
        param, _ = self._parameter(name)
        if self.reform is not None:
            override = self.reform.value(name, self.on, batch)
            if override is not None:
                self._uses.append(
                    ParameterUse(
                        name=name,
                        value=override.render(),
                        period=override.period() if override.batch or override.start or override.end else "what-if",
                        citations=override.cites,
                        what_if=True,
                    )
                )
                return override
        found = param.value_for_batch(batch) if batch is not None else param.value_on(self.on)
        if found is not None:
            self._uses.append(found.use)
            for c in found.cites:
                self.cite(c)
        return found

    def _typed(self, name: str, kind: type[_T], what: str, batch: int | None = None) -> _T | None:
        """The value of ``name`` (recorded) when it is a ``kind``; None when none applies; else a data error."""
        found = self.value(name, batch=batch)
        if found is None or found.value is None:
            return None
        if not isinstance(found.value, kind):
            raise PolicyDataError(f"parameter {name!r} is a {found.kind}, not {what}")
        return found.value

    def range(self, name: str, *, batch: int | None = None) -> AmountRange | None:
        return self._typed(name, AmountRange, "a range", batch)

    def ratio(self, name: str, *, batch: int | None = None) -> Ratio | None:
        found = self._typed(name, Ratio, "a ratio", batch)
        if found is not None:
            self.last_ratio = found
        return found

    def count(self, name: str) -> int | None:
        return self._typed(name, int, "a count")

    def brackets(self, name: str) -> tuple[Bracket, ...] | None:
        return cast("tuple[Bracket, ...] | None", self._typed(name, tuple, "a bracket table"))

    def choice(self, name: str) -> str | None:
        """The reading a ``choice`` parameter selects (a documented assumption), recorded."""
        found = self._typed(name, Choice, "a choice")
        return None if found is None else found.value

    def amount_in_force(self, name: str, absent: Message | str) -> AmountRange | Outcome:
        """The range ``name`` holds on the assessed day (recorded), or the ineligible outcome ``absent`` says."""
        amount = self.range(name)
        return self.ineligible(absent) if amount is None else amount

    def cite(self, citation_id: str) -> None:
        """Record that the result rests on this citation (a refinement's condition, say)."""
        if citation_id not in self._cites:
            self._cites.append(citation_id)

    def citation(self, citation_id: str) -> Citation:
        for layer in (self.policy, *self.chain):
            found = layer.citations.get(citation_id)
            if found is not None:
                return found
        raise PolicyDataError(f"rule {self.program.id} cites unknown citation {citation_id!r}")

    @property
    def uses(self) -> tuple[ParameterUse, ...]:
        return tuple(self._uses)

    @property
    def cited(self) -> tuple[str, ...]:
        return tuple(self._cites)

    # -- facts ---------------------------------------------------------------------------------------
    def designation(self) -> Designation | None:
        """The facility's designation that feeds this programme, if any."""
        spec_id = self.program.designation
        if spec_id is None:
            return None
        return self.facility.designation(spec_id)

    def designated(self, absent: Message | str) -> Designation | Outcome:
        """The designation this programme needs, held by the day assessed; else the ineligible outcome.

        ``absent`` is the reason when the facility does not hold it; one awarded in a year after the day assessed
        is ineligible with the reason ``core.designation.after_day``.
        """
        designation = self.designation()
        if designation is None:
            return self.ineligible(absent)
        if designation.year > self.on.year:
            return self.ineligible(
                msg("core.designation.after_day", designation=designation.program, year=designation.year, on=self.on)
            )
        return designation

    def designated_amount(
        self, name: str, absent: Message | str, unpriced: Message | str
    ) -> tuple[Designation, AmountRange] | Outcome:
        """:meth:`designated`, then :meth:`amount_in_force` of ``name`` (``unpriced`` when none is in force)."""
        designation = self.designated(absent)
        if isinstance(designation, Outcome):
            return designation
        amount = self.amount_in_force(name, unpriced)
        return amount if isinstance(amount, Outcome) else (designation, amount)

    @staticmethod
    def conditions(*facts: Fact) -> tuple[list[str], list[Message]]:
        """Sort conditions on facts: the fields not supplied (``missing``) and the reasons of those not met."""
        missing = [field for field, met, _ in facts if met is None]
        unmet = [reason for _, met, reason in facts if met is False]
        return missing, unmet

    def layer(self, level: Level) -> Policy | None:
        """The layer of the chain at ``level`` (the province above a city, say)."""
        for layer in self.chain:
            if layer.level == level:
                return layer
        return None

    @property
    def payer(self) -> str:
        """The programme's payer id, with a ``{province}``/``{city}``/``{district}`` placeholder resolved."""
        payer = self.program.payer or ""
        for level in ("province", "city", "district"):
            token = "{" + level + "}"
            if token in payer:
                layer = self.layer(level)
                if layer is None:
                    raise PolicyDataError(f"{self.program.id} is paid by the {level} above, and there is none")
                payer = payer.replace(token, layer.id)
        return payer

    # -- outcomes ------------------------------------------------------------------------------------
    def eligible(self, amount: AmountRange, *reasons: Message | str, missing: tuple[str, ...] = ()) -> Outcome:
        return Outcome("eligible", amount, reasons, missing)

    def ineligible(self, *reasons: Message | str) -> Outcome:
        return Outcome("ineligible", AmountRange.zero(), reasons)

    def undetermined(self, amount: AmountRange, *reasons: Message | str, missing: tuple[str, ...]) -> Outcome:
        return Outcome("undetermined", amount, reasons, missing)

    def not_stated(self, *reasons: Message | str) -> Outcome:
        """The source states a payment but no amount: undetermined, unless the caller pinned one."""
        if self.pin is not None:
            return Outcome(
                "eligible", AmountRange.unknown(), (*reasons, msg("core.pin.supplied", field=self.pin_field))
            )
        field_name = (
            f"designations[{self.program.designation}].amount"
            if self.program.designation
            else f"pins[{self.program.id}]"
        )
        return Outcome("undetermined", AmountRange.unknown(), reasons, (field_name,))

    def match(self, grant: Entitlement, ratio: Ratio, *reasons: Message | str) -> Outcome:
        """A matching obligation of ``ratio`` times ``grant``: exact (按1:1) or a minimum (不低于1:1)."""
        scaled, note = self.scale(grant.amount, ratio.value, "matching_amount")
        amount = scaled if ratio.exact else AmountRange.model_construct(low=scaled.low, high=None, allowed=None)
        text = msg(
            "core.match.exact" if ratio.exact else "core.match.at_least",
            ratio=format(ratio.value, "f"),
            program=grant.program,
            amount=grant.amount,
            payer=self.payer,
        )
        all_reasons = (text, *reasons, *((note,) if note else ()))
        if grant.status == "undetermined":
            undecided = msg("core.match.grant_undetermined", program=grant.program)
            return Outcome("undetermined", amount, (*all_reasons, undecided), grant.missing)
        return Outcome("eligible", amount, all_reasons)

    def scale(self, amount: AmountRange, factor: Decimal | int, what: str) -> tuple[AmountRange, Message | None]:
        """``amount * factor`` rounded once to the fen; the second item is a reason when rounding changed it.

        ``what`` names what was scaled, as a glossary key under ``scaled.`` (``matching_amount``,
        ``monthly_total``, ``provincial_share``, ``quarterly_total``).
        """
        try:
            scaled, rounded = amount.scale(factor, rounding=self.rounding)
        except MoneyError as exc:  # name the programme and what was scaled, not just "amount"
            raise MoneyError(f"{self.program.id} {what}", exc.problem, exc.code, exc.params) from None
        note = msg("core.rounded", what=what, rounding=self.rounding) if rounded else None
        return scaled, note


def before_reported(outcome: Outcome, program: Program, on: dt.date) -> Outcome:
    """The outcome on a day before the earliest source reporting an undated programme (issue 13): not known to be
    law on that day, so undetermined with the bounds that are known (0 up to the rule's high), and the fact that
    would decide it, the programme's start date (``<programme id>.start``, which no source found states), listed in
    ``missing``; a facility the rule finds ineligible stays ineligible (it would get nothing either way), with the
    same reason."""
    assert program.reported_since is not None
    reason = msg("core.reported_since", program=program.id, since=program.reported_since, on=on)
    if outcome.status == "ineligible":
        return dataclasses.replace(outcome, reasons=(*outcome.reasons, reason))
    known = AmountRange.model_construct(low=AmountRange.zero().low, high=outcome.amount.high, allowed=None)
    missing = (*outcome.missing, f"{program.id}.start")
    return dataclasses.replace(
        outcome, status="undetermined", amount=known, reasons=(reason, *outcome.reasons), missing=missing
    )
