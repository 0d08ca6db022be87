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
from ..core.money import format_yuan, in_money_context
from .findings import ComplianceReport, Finding, FindingOutcome, citation, plural
from .union_plan import SpendingItem, UnionSpendingPlan

PROGRAM: Final = "chengdu.union_fund_rules"

_NOT_CHILDCARE: Final[frozenset[str]] = frozenset(
    {"equipment", "office", "bonus", "allowance", "communication_equipment", "direct_subsidy_to_workers"}
)
_OFFICE_LIKE: Final[dict[str, str]] = {
    "office": "office costs (办公费)",
    "bonus": "bonuses (奖金)",
    "allowance": "allowances and subsidies (津补贴)",
    "communication_equipment": "communication equipment (通讯设备)",
}


def _cites(*ids: str) -> tuple[Citation, ...]:
    # The specific clause first, then the plan's reference to 工女字〔2023〕7号.
    return tuple(citation("chengdu", cid) for cid in (*ids, "chengdu.fund_basis"))


def _finding(
    rule: str, outcome: FindingOutcome, message: str, cites: tuple[str, ...], concerns: str | None = None
) -> Finding:
    return Finding(
        rule=f"{PROGRAM}.{rule}", outcome=outcome, message=message, concerns=concerns, citations=_cites(*cites)
    )


def _label(i: int, item: SpendingItem) -> str:
    what = f" ({item.description})" if item.description else ""
    return f"item {i}{what}, {format_yuan(item.amount)} yuan"


Judgement = tuple[FindingOutcome, str, str]
"""What a per-item rule finds about one item it does not pass: the outcome, the message, the field concerned."""


class _ItemRule(NamedTuple):
    """A rule judged item by item: its id, its clauses, the judge (None: the item keeps it) and the ok message."""

    rule: str
    cites: tuple[str, ...]
    judge: Callable[[int, SpendingItem], Judgement | None]
    ok_message: str


def _per_item(plan: UnionSpendingPlan, rule: _ItemRule) -> list[Finding]:
    """One finding per item the rule does not pass, in item order; a single ``ok`` finding when every item does."""
    judged = [j for i, item in enumerate(plan.items) if (j := rule.judge(i, item)) is not None]
    if not judged:
        return [_finding(rule.rule, "ok", rule.ok_message, rule.cites, "items")]
    return [_finding(rule.rule, outcome, msg, rule.cites, where) for outcome, msg, where in judged]


def _earmarked(i: int, item: SpendingItem) -> Judgement | None:
    label = _label(i, item)
    where = f"items[{i}].category"
    if item.category in _NOT_CHILDCARE:
        return (
            "breach",
            f"{label} is {item.category}, not a childcare service: the special funds are earmarked "
            "(专款专用) and must not be diverted or used beyond their purpose (不得改变用途，不得随意扩大使用范围)",
            where,
        )
    if item.category == "childcare_equipment":
        return (
            "cannot_check",
            f"{label} is equipment for the childcare service: the sources do not say whether the earmarked "
            "funds (专款专用) may pay for it; check it against the work plan and 工女字〔2023〕7号",
            where,
        )
    if item.category == "other":
        return (
            "cannot_check",
            f"{label} has category 'other': whether it is a childcare service (专款专用) cannot be checked; "
            "give its category",
            where,
        )
    return None


def _no_cash(i: int, item: SpendingItem) -> Judgement | None:
    label = _label(i, item)
    where = f"items[{i}].settlement"
    if item.settlement == "cash":
        return ("breach", f"{label} is settled in cash (直接发放现金), which is banned", where)
    if item.settlement == "commercial_prepaid_card":
        return ("breach", f"{label} is settled with a commercial prepaid card (商业预付卡), which is banned", where)
    if item.settlement == "prepaid_card":
        return (
            "cannot_check",
            f"{label} is settled with a prepaid card of unstated kind: commercial prepaid cards (商业预付卡) are "
            "banned; say whether this card is one (settlement 'commercial_prepaid_card')",
            where,
        )
    if item.settlement == "other":
        return (
            "cannot_check",
            f"{label} has settlement 'other': whether it is cash or a commercial prepaid card cannot be checked",
            where,
        )
    return None


def _no_office_costs(i: int, item: SpendingItem) -> Judgement | None:
    what = _OFFICE_LIKE.get(item.category)
    if what is None:
        return None
    return ("breach", f"{_label(i, item)} pays for {what}, which the funds must never pay for", f"items[{i}].category")


def _no_disguised_allowances(i: int, item: SpendingItem) -> Judgement | None:
    if item.category != "childcare_service" or item.payee != "worker":
        return None
    return (
        "breach",
        f"{_label(i, item)} buys childcare services but pays the worker, not the provider: buying "
        "childcare services must not become a disguised allowance or subsidy (变相为滥发津贴、补贴)",
        f"items[{i}].payee",
    )


def _no_direct_subsidies(i: int, item: SpendingItem) -> Judgement | None:
    if item.category == "direct_subsidy_to_workers":
        return (
            "breach",
            f"{_label(i, item)} is a subsidy paid directly to workers from union funds (直接为职工发放补贴)",
            f"items[{i}].category",
        )
    if item.payee == "worker":
        return (
            "breach",
            f"{_label(i, item)} is paid to a worker: union funds must not pay workers subsidies directly "
            "(不得直接用工会经费为职工发放补贴)",
            f"items[{i}].payee",
        )
    return None


_ITEM_RULES: Final[tuple[_ItemRule, ...]] = (
    _ItemRule(
        "earmarked",
        ("chengdu.fund_earmarked", "chengdu.fund_no_diverting"),
        _earmarked,
        "every item pays for childcare services (专款专用)",
    ),
    _ItemRule(
        "no_cash",
        ("chengdu.fund_no_cash_or_prepaid_cards",),
        _no_cash,
        "no item is settled in cash or with a commercial prepaid card (现金、商业预付卡)",
    ),
    _ItemRule(
        "no_office_costs",
        ("chengdu.fund_no_office_costs",),
        _no_office_costs,
        "no item pays for office costs, bonuses, allowances or communication equipment "
        "(办公费、奖金、津补贴、通讯设备)",
    ),
    _ItemRule(
        "no_disguised_allowances",
        ("chengdu.fund_no_disguised_allowances",),
        _no_disguised_allowances,
        "no childcare-service item is paid to a worker (no disguised allowance, 变相津贴、补贴)",
    ),
    _ItemRule(
        "no_direct_subsidies",
        ("chengdu.fund_no_direct_subsidies",),
        _no_direct_subsidies,
        "no item pays a subsidy to workers directly (不得直接为职工发放补贴)",
    ),
)
"""The per-item rules, in report order."""


def _budget(plan: UnionSpendingPlan) -> Finding:
    total = plan.total
    cites = ("chengdu.fund_budget",)
    if plan.budget is None:
        if total > 0:
            return _finding(
                "budget",
                "breach",
                f"{format_yuan(total)} yuan is planned with no budget: no spending without a budget (不得无预算支出)",
                cites,
                "budget",
            )
        return _finding("budget", "ok", "nothing is spent, so no budget is needed (不得无预算支出)", cites, "budget")
    if total > plan.budget:
        over = total - plan.budget
        return _finding(
            "budget",
            "breach",
            f"items total {format_yuan(total)} yuan, {format_yuan(over)} over the budget of "
            f"{format_yuan(plan.budget)} (不得超预算支出)",
            cites,
            "budget",
        )
    return _finding(
        "budget",
        "ok",
        f"items total {format_yuan(total)} yuan, within the budget of {format_yuan(plan.budget)} "
        "(不得无预算、超预算支出)",
        cites,
        "budget",
    )


def _procedure(plan: UnionSpendingPlan) -> list[Finding]:
    cites = ("chengdu.fund_work_plan",)
    if plan.work_plan:
        work = _finding(
            "work_plan",
            "ok",
            "a written work plan states the childcare items and standards (工作方案，明确托育服务的项目、标准)",
            cites,
            "work_plan",
        )
    else:
        work = _finding(
            "work_plan",
            "breach",
            "no written work plan stating the childcare items and standards "
            "(应制定具体的工作方案，明确托育服务的项目、标准)",
            cites,
            "work_plan",
        )
    if plan.collective_decision:
        decision = _finding(
            "collective_decision",
            "ok",
            "the union committee decided the spending collectively (基层工会委员会集体决策)",
            cites,
            "collective_decision",
        )
    else:
        decision = _finding(
            "collective_decision",
            "breach",
            "the union committee did not decide the spending collectively (应经基层工会委员会集体决策等程序)",
            cites,
            "collective_decision",
        )
    return [work, decision]


def _eight_prohibitions() -> Finding:
    return _finding(
        "eight_prohibitions",
        "cannot_check",
        "the plan must respect the 八不准 (eight prohibitions on using union funds); the sources name them without "
        "listing them, so they cannot be checked item by item here",
        ("chengdu.fund_eight_prohibitions",),
    )


@in_money_context
@reports_invalid_data  # issue 15: a bad plan is a TuoyuError too (and still a ValidationError)
def check_union_spending(plan: UnionSpendingPlan | Mapping[str, Any]) -> ComplianceReport:
    """Check a union's childcare spending plan against Chengdu's rules on union funds (seed 003, 四（四）).

    ``plan`` is a :class:`UnionSpendingPlan` or a mapping of its fields (validated; bad input raises
    pydantic ``ValidationError`` naming the field). Pure: the findings depend only on ``plan``.

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
    if isinstance(plan, Mapping):
        plan = UnionSpendingPlan.model_validate(plan)
    elif not isinstance(plan, UnionSpendingPlan):
        raise InvalidInput("plan", f"a UnionSpendingPlan or a mapping of its fields, not {type(plan).__name__}")
    findings: list[Finding] = [
        *(f for rule in _ITEM_RULES for f in _per_item(plan, rule)),
        _budget(plan),
        *_procedure(plan),
        _eight_prohibitions(),
    ]
    notes = (
        f"{plural(len(plan.items), 'item')} totalling {format_yuan(plan.total)} yuan.",
        "Rules quoted by the Chengdu work plan (seed 003, 四（四）), which says the funds follow 工女字〔2023〕7号; "
        "the text of that notice is not in the sources.",
    )
    return ComplianceReport(check="union_spending", findings=tuple(findings), notes=notes)
