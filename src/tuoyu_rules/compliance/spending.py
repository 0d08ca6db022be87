"""Union money for childcare (Chengdu): the rules of seed 003, section 四（四）, as checks with findings.

The Chengdu work plan says the special subsidy and union funds for childcare must follow
《关于进一步规范职工子女托育服务工会经费使用管理的通知》（工女字〔2023〕7号）, and quotes its rules. The text
of 工女字〔2023〕7号 itself is not in the sources: every check rests on the plan's own words (the
``chengdu.fund_*`` citations) and names 工女字〔2023〕7号 only as the plan does (``chengdu.fund_basis``).

Rule ids (``chengdu.union_fund_rules.<rule>``), each citing its clause:

``earmarked``
    专款专用; 不得挤占、截留、挪用…不得改变用途，不得随意扩大使用范围: every item must pay for childcare
    services. ``childcare_service`` keeps it; ``childcare_equipment`` and ``other`` cannot be checked (the
    sources do not say whether equipment for the childcare room counts, and ``other`` says nothing);
    every other category breaks it.
``no_cash``
    严禁以直接发放现金或商业预付卡方式结算相关费用: settlement by ``cash`` or ``commercial_prepaid_card``
    breaks it; a ``prepaid_card`` whose kind is not stated, and ``other``, cannot be checked.
``no_office_costs``
    严禁用于列支办公费、奖金、津补贴、通讯设备等方面支出: categories ``office``, ``bonus``, ``allowance`` and
    ``communication_equipment`` break it.
``no_disguised_allowances``
    严禁将购买托育服务变相为滥发津贴、补贴: a ``childcare_service`` item whose payee is a ``worker`` (money for
    childcare handed to the worker instead of paying for the service) breaks it. This is the library's
    reading of 变相: the only disguise the input can show.
``no_direct_subsidies``
    不得直接用工会经费为职工发放补贴: category ``direct_subsidy_to_workers``, or any item paid to a
    ``worker``, breaks it.
``budget``
    不得无预算、超预算支出: spending (items totalling more than 0) with no budget, or items totalling more
    than the budget, breaks it.
``work_plan`` and ``collective_decision``
    应制定具体的工作方案，明确托育服务的项目、标准等相关内容，并经基层工会委员会集体决策等程序.
``eight_prohibitions``
    严格执行工会经费使用“八不准”: the sources name the 八不准 without listing them, so this finding is always
    ``cannot_check``: the plan must respect them, and nothing here can check them item by item.

Per-item rules give one ``breach`` (or ``cannot_check``) finding per offending item, naming it
(``items[2].settlement``), or a single ``ok`` finding when no item offends.

The plan checked (:class:`~tuoyu_rules.compliance.union_plan.UnionSpendingPlan`, its items and their closed
sets of categories, payees and settlements) is in :mod:`tuoyu_rules.compliance.union_plan`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

from ..core.citations import Citation
from ..core.errors import InvalidInput, reports_invalid_data
from ..core.messages import Lang, Message, check_lang, msg
from ..core.money import in_money_context
from .findings import ComplianceReport, Draft, FindingOutcome, citation, report
from .union_plan import SpendingItem, UnionSpendingPlan

PROGRAM: Final = "chengdu.union_fund_rules"

_NOT_CHILDCARE: Final[frozenset[str]] = frozenset(
    {"equipment", "office", "bonus", "allowance", "communication_equipment", "direct_subsidy_to_workers"}
)
_OFFICE_LIKE: Final[dict[str, str]] = {
    "office": "compliance.spending.office_costs",
    "bonus": "compliance.spending.bonus",
    "allowance": "compliance.spending.allowance",
    "communication_equipment": "compliance.spending.communication_equipment",
}
"""The message of each category the funds must never pay for."""
_DESCRIBED: Final[dict[str, str]] = {
    "compliance.spending.not_childcare": "compliance.spending.not_childcare.described",
    "compliance.spending.childcare_equipment": "compliance.spending.childcare_equipment.described",
    "compliance.spending.other_category": "compliance.spending.other_category.described",
    "compliance.spending.cash": "compliance.spending.cash.described",
    "compliance.spending.commercial_prepaid_card": "compliance.spending.commercial_prepaid_card.described",
    "compliance.spending.prepaid_card": "compliance.spending.prepaid_card.described",
    "compliance.spending.other_settlement": "compliance.spending.other_settlement.described",
    "compliance.spending.office_costs": "compliance.spending.office_costs.described",
    "compliance.spending.bonus": "compliance.spending.bonus.described",
    "compliance.spending.allowance": "compliance.spending.allowance.described",
    "compliance.spending.communication_equipment": "compliance.spending.communication_equipment.described",
    "compliance.spending.disguised_allowance": "compliance.spending.disguised_allowance.described",
    "compliance.spending.direct_subsidy": "compliance.spending.direct_subsidy.described",
    "compliance.spending.paid_to_worker": "compliance.spending.paid_to_worker.described",
}
"""Each item message and its twin naming the item's description (an item without one has no parentheses)."""


def _cites(*ids: str) -> tuple[Citation, ...]:
    # The specific clause first, then the plan's reference to 工女字〔2023〕7号.
    return tuple(citation("chengdu", cid) for cid in (*ids, "chengdu.fund_basis"))


def _finding(
    rule: str, outcome: FindingOutcome, message: Message, cites: tuple[str, ...], concerns: str | None = None
) -> Draft:
    return Draft(f"{PROGRAM}.{rule}", outcome, message, _cites(*cites), concerns)


def _item(code: str, i: int, item: SpendingItem, **params: object) -> Message:
    """An item's message: ``item``, ``amount`` and, when the item has one, ``description`` (the twin code)."""
    if item.description:
        return msg(_DESCRIBED[code], item=i, description=item.description, amount=item.amount, **params)
    return msg(code, item=i, amount=item.amount, **params)


Judgement = tuple[FindingOutcome, Message, str]
"""What a per-item rule finds about one item it does not pass: the outcome, the message, the field concerned."""


class _ItemRule(NamedTuple):
    """A rule judged item by item: its id, its clauses, the judge (None: the item keeps it) and the ok message."""

    rule: str
    cites: tuple[str, ...]
    judge: Callable[[int, SpendingItem], Judgement | None]
    ok_message: Message


def _per_item(plan: UnionSpendingPlan, rule: _ItemRule) -> list[Draft]:
    """One finding per item the rule does not pass, in item order; a single ``ok`` finding when every item does."""
    judged = [j for i, item in enumerate(plan.items) if (j := rule.judge(i, item)) is not None]
    if not judged:
        return [_finding(rule.rule, "ok", rule.ok_message, rule.cites, "items")]
    return [_finding(rule.rule, outcome, message, rule.cites, where) for outcome, message, where in judged]


def _earmarked(i: int, item: SpendingItem) -> Judgement | None:
    where = f"items[{i}].category"
    if item.category in _NOT_CHILDCARE:
        return ("breach", _item("compliance.spending.not_childcare", i, item, category=item.category), where)
    if item.category == "childcare_equipment":
        return ("cannot_check", _item("compliance.spending.childcare_equipment", i, item), where)
    if item.category == "other":
        return ("cannot_check", _item("compliance.spending.other_category", i, item, category=item.category), where)
    return None


def _no_cash(i: int, item: SpendingItem) -> Judgement | None:
    where = f"items[{i}].settlement"
    if item.settlement == "cash":
        return ("breach", _item("compliance.spending.cash", i, item), where)
    if item.settlement == "commercial_prepaid_card":
        return ("breach", _item("compliance.spending.commercial_prepaid_card", i, item), where)
    if item.settlement == "prepaid_card":
        message = _item("compliance.spending.prepaid_card", i, item, banned="commercial_prepaid_card")
        return ("cannot_check", message, where)
    if item.settlement == "other":
        message = _item("compliance.spending.other_settlement", i, item, settlement=item.settlement)
        return ("cannot_check", message, where)
    return None


def _no_office_costs(i: int, item: SpendingItem) -> Judgement | None:
    code = _OFFICE_LIKE.get(item.category)
    if code is None:
        return None
    return ("breach", _item(code, i, item), f"items[{i}].category")


def _no_disguised_allowances(i: int, item: SpendingItem) -> Judgement | None:
    if item.category != "childcare_service" or item.payee != "worker":
        return None
    return ("breach", _item("compliance.spending.disguised_allowance", i, item), f"items[{i}].payee")


def _no_direct_subsidies(i: int, item: SpendingItem) -> Judgement | None:
    if item.category == "direct_subsidy_to_workers":
        return ("breach", _item("compliance.spending.direct_subsidy", i, item), f"items[{i}].category")
    if item.payee == "worker":
        return ("breach", _item("compliance.spending.paid_to_worker", i, item), f"items[{i}].payee")
    return None


_ITEM_RULES: Final[tuple[_ItemRule, ...]] = (
    _ItemRule(
        "earmarked",
        ("chengdu.fund_earmarked", "chengdu.fund_no_diverting"),
        _earmarked,
        msg("compliance.spending.ok.earmarked"),
    ),
    _ItemRule(
        "no_cash",
        ("chengdu.fund_no_cash_or_prepaid_cards",),
        _no_cash,
        msg("compliance.spending.ok.no_cash"),
    ),
    _ItemRule(
        "no_office_costs",
        ("chengdu.fund_no_office_costs",),
        _no_office_costs,
        msg("compliance.spending.ok.no_office_costs"),
    ),
    _ItemRule(
        "no_disguised_allowances",
        ("chengdu.fund_no_disguised_allowances",),
        _no_disguised_allowances,
        msg("compliance.spending.ok.no_disguised_allowances"),
    ),
    _ItemRule(
        "no_direct_subsidies",
        ("chengdu.fund_no_direct_subsidies",),
        _no_direct_subsidies,
        msg("compliance.spending.ok.no_direct_subsidies"),
    ),
)
"""The per-item rules, in report order."""


def _budget(plan: UnionSpendingPlan) -> Draft:
    total = plan.total
    cites = ("chengdu.fund_budget",)
    if plan.budget is None:
        if total > 0:
            return _finding("budget", "breach", msg("compliance.spending.no_budget", total=total), cites, "budget")
        return _finding("budget", "ok", msg("compliance.spending.nothing_spent"), cites, "budget")
    if total > plan.budget:
        over = msg("compliance.spending.over_budget", total=total, over=total - plan.budget, budget=plan.budget)
        return _finding("budget", "breach", over, cites, "budget")
    within = msg("compliance.spending.within_budget", total=total, budget=plan.budget)
    return _finding("budget", "ok", within, cites, "budget")


def _procedure(plan: UnionSpendingPlan) -> list[Draft]:
    cites = ("chengdu.fund_work_plan",)
    if plan.work_plan:
        work = _finding("work_plan", "ok", msg("compliance.spending.work_plan"), cites, "work_plan")
    else:
        work = _finding("work_plan", "breach", msg("compliance.spending.no_work_plan"), cites, "work_plan")
    where = "collective_decision"
    if plan.collective_decision:
        decision = _finding(where, "ok", msg("compliance.spending.collective_decision"), cites, where)
    else:
        decision = _finding(where, "breach", msg("compliance.spending.no_collective_decision"), cites, where)
    return [work, decision]


def _eight_prohibitions() -> Draft:
    return _finding(
        "eight_prohibitions",
        "cannot_check",
        msg("compliance.spending.eight_prohibitions"),
        ("chengdu.fund_eight_prohibitions",),
    )


@in_money_context
@reports_invalid_data  # issue 15: a bad plan is a TuoyuError too (and still a ValidationError)
def check_union_spending(plan: UnionSpendingPlan | Mapping[str, Any], *, lang: Lang = "en") -> ComplianceReport:
    """Check a union's childcare spending plan against Chengdu's rules on union funds (seed 003, 四（四）).

    ``plan`` is a :class:`UnionSpendingPlan` or a mapping of its fields (validated; bad input raises
    pydantic ``ValidationError`` naming the field). Pure: the findings depend only on ``plan``. ``lang`` is the
    language of each finding's ``message`` and the report's ``notes``, ``"zh"`` or ``"en"`` (the default); their
    ``explanation`` has both.

    The report is never ``compliant=True``: the 八不准 cannot be checked item by item (their items are not
    in the sources), so at best it is ``None``; ``report.breaches`` lists what the checks did find.

    >>> from decimal import Decimal
    >>> plan = UnionSpendingPlan(
    ...     items=(SpendingItem(category="childcare_service", amount=Decimal("12000"), payee="childcare_provider",
    ...                         settlement="bank_transfer"),),
    ...     budget=Decimal("20000"), work_plan=True, collective_decision=True)
    >>> report = check_union_spending(plan)
    >>> report.compliant is None, [f.rule for f in report.breaches]
    (True, [])
    """
    lang = check_lang(lang)
    if isinstance(plan, Mapping):
        plan = UnionSpendingPlan.model_validate(plan)
    elif not isinstance(plan, UnionSpendingPlan):
        problem = "a UnionSpendingPlan or a mapping of its fields, not {type}"
        raise InvalidInput.coded("plan", "error.spending.plan_type", problem, type=type(plan).__name__)
    drafts: list[Draft] = [
        *(f for rule in _ITEM_RULES for f in _per_item(plan, rule)),
        _budget(plan),
        *_procedure(plan),
        _eight_prohibitions(),
    ]
    notes = (
        msg("compliance.spending.note.total", items=len(plan.items), total=plan.total),
        msg("compliance.spending.note.source"),
    )
    return report("union_spending", drafts, notes, lang)
