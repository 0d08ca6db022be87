"""The engine's boundary: what a rule returned, checked before it becomes an entry, and the errors that name a rule.

A rule (a bundled one or a plugin's) returns an :class:`~tuoyu_rules.core.policy.Outcome`; the engine accepts it
only when :func:`outcome_problem` finds nothing wrong, and a failed or wrong rule becomes a
:class:`~tuoyu_rules.core.errors.PolicyDataError` (a :class:`~tuoyu_rules.core.errors.PluginRuleError` for a
plugin) naming its programme and owner, never a bare traceback later. The payer names an entry carries are
looked up here too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import get_args

from .amounts import AmountRange
from .errors import PluginRuleError, PolicyDataError
from .loading import joint_payers
from .messages import Message
from .money import CENT, MAX_MONEY
from .policy import BASES, Outcome, Policy, Program, Status
from .registry import is_builtin

_STATUSES: tuple[str, ...] = get_args(Status)


def payer_names(payer_id: str, layers: tuple[Policy, ...]) -> tuple[str, str]:
    """The payer's names (zh, en), from the layer that declares it.

    A joint payer (``cn.acftu+sichuan.union``, see :func:`~tuoyu_rules.core.loading.joint_payers`) joins its
    parts' names in the order of its id: in Chinese with 与 between the last two and 、 before them
    (``中华全国总工会与四川省总工会``; three parts: ``甲、乙与丙``), in English with " and " between the last two and
    ", " before them. Every part must be declared by a layer of the chain (PolicyDataError otherwise).
    """
    parts = joint_payers(payer_id, layers)
    if parts is not None:
        zh, en = [p.name_zh for p in parts], [p.name_en for p in parts]
        return "、".join(zh[:-1]) + "与" + zh[-1], ", ".join(en[:-1]) + " and " + en[-1]
    for layer in layers:
        payer = layer.payers.get(payer_id)
        if payer is not None:
            return payer.name_zh, payer.name_en
    return "", ""


def rule_error(program: Program, layer: Policy, problem: str) -> PolicyDataError:
    """The error for a rule that failed or returned something the engine does not accept, naming its owner."""
    if is_builtin(layer.id):
        return PolicyDataError(f"rule {program.id} of {layer.id!r} {problem}")
    return PluginRuleError(f"rule {program.id} of jurisdiction plugin {layer.id!r} {problem}", plugin=layer.id)


def outcome_problem(outcome: object, program: Program) -> str | None:
    """What is wrong with what a rule returned (None: an Outcome the engine accepts).

    An Outcome (None only from a matching duty's rule, which may not arise) with a known status, an
    :class:`AmountRange` of exact amounts, and reasons and missing facts as tuples of str.
    """
    if outcome is None:
        return None if program.kind == "obligation" else "returned None, not a tuoyu_rules.Outcome"
    if not isinstance(outcome, Outcome):
        return f"returned a {type(outcome).__name__}, not a tuoyu_rules.Outcome"
    if outcome.status not in _STATUSES:
        return f"returned the status {outcome.status!r}, not one of {', '.join(_STATUSES)}"
    amount = outcome.amount
    if not isinstance(amount, AmountRange):
        return f"returned an amount that is a {type(amount).__name__}, not a tuoyu_rules.AmountRange"
    bounds = [("low", amount.low), ("high", amount.high), *(("allowed", v) for v in amount.allowed or ())]
    for name, value in bounds:
        if value is None and name == "high":
            continue
        problem = money_problem(value)
        if problem is not None:
            return f"returned an amount whose {name} {problem}"
    if amount.high is not None and amount.low > amount.high:
        return f"returned an amount whose low {amount.low} is above its high {amount.high}"
    reasons = outcome.reasons
    if not isinstance(reasons, tuple) or not all(isinstance(i, (str, Message)) for i in reasons):
        return f"returned reasons that are not a tuple of messages (or str): {type(reasons).__name__}"
    if not isinstance(outcome.missing, tuple) or not all(isinstance(i, str) for i in outcome.missing):
        return f"returned missing that are not a tuple of str: {type(outcome.missing).__name__}"
    if outcome.payer is not None and not isinstance(outcome.payer, str):
        return f"returned a payer that is a {type(outcome.payer).__name__}, not a str"
    if outcome.basis is not None and outcome.basis not in BASES:
        return f"returned the basis {outcome.basis!r}, not one of {', '.join(BASES)}"
    children = outcome.children
    if children is not None and (isinstance(children, bool) or not isinstance(children, int) or children < 0):
        return f"returned children {children!r}, not a whole number 0 or more (or None)"
    return None


def money_problem(value: object) -> str | None:
    """What keeps ``value`` from being an amount of the library (exact yuan, whole fen, in range), or None."""
    if not isinstance(value, Decimal):
        return f"is a {type(value).__name__} ({value!r:.40}), not a Decimal: amounts are exact (AmountRange.of)"
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        return f"{value} is not an amount in [0, {MAX_MONEY}]"
    if value.as_tuple().exponent != -2 and value != value.quantize(CENT):
        return f"{value} is not a whole number of fen"
    return None
