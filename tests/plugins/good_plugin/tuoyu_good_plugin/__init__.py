"""Testville (a made-up city under Fujian): a third-party jurisdiction plugin for tuoyu_rules tests.

It is built the way a real plugin would be: a data mapping (what a TOML file parses to) plus one rule
function per money-bearing programme, joined by ``tuoyu_rules.build_policy``. It imports only the top-level
package (``tr.RuleContext``, ``tr.Outcome``, ``tr.Rule``): a plugin needs no internal module path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import tuoyu_rules as tr

DATA: dict[str, Any] = {
    "jurisdiction": {
        "id": "testville",
        "name_zh": "测试市",
        "name_en": "Testville",
        "level": "city",
        "parent": "fujian",
        "division_code": "359900",
    },
    "sources": {
        "testville_notice": {
            "document": "testville_notice_2024.txt",
            "title": "测试市托育补助通知",
            "confidence": "official",
        }
    },
    "payers": {"testville.union": {"name_zh": "测试市总工会", "name_en": "Testville union"}},
    "citations": {
        "testville.notice": {
            "source": "testville_notice",
            "clause": "第一条",
            "quote": "对用人单位托育机构每年给予1000元至2000元运营补助",
        }
    },
    "programs": {
        "testville.operating": {
            "kind": "entitlement",
            "name_zh": "运营补助",
            "name_en": "Operating subsidy",
            "payer": "testville.union",
            "basis": "per_year",
            "start": dt.date(2024, 1, 1),
            "cite": ["testville.notice"],
        },
        "testville.star_award": {
            "kind": "entitlement",
            "name_zh": "星级奖励",
            "name_en": "Star award",
            "payer": "testville.union",
            "basis": "one_time",
            "designation": "testville.star",
            "cite": ["testville.notice"],
        },
    },
    "designations": {
        "testville.star": {
            "name_zh": "星级托育机构",
            "name_en": "Star facility",
            "program": "testville.star_award",
            "amount_parameter": "testville.star_award.amount",
        }
    },
    "parameters": {
        "testville.operating.amount": {
            "description": "Yearly operating subsidy",
            "values": [{"kind": "range", "low": "1000", "high": "2000", "cite": ["testville.notice"]}],
        },
        "testville.star_award.amount": {
            "description": "Star award",
            "values": [{"kind": "range", "low": "500", "high": "500", "cite": ["testville.notice"]}],
        },
    },
}


def operating(ctx: tr.RuleContext) -> tr.Outcome:
    amount = ctx.range("testville.operating.amount")
    if amount is None:
        return ctx.ineligible("no amount in force")
    if ctx.facility.enrolled == 0:
        return ctx.ineligible("no child enrolled")
    return ctx.eligible(amount, "an employer facility with children enrolled: 1000 to 2000 a year")


def star_award(ctx: tr.RuleContext) -> tr.Outcome:
    if ctx.designation() is None:
        return ctx.ineligible("not a star facility")
    amount = ctx.range("testville.star_award.amount")
    assert amount is not None
    return ctx.eligible(amount, "a star facility")


RULES: Mapping[str, tr.Rule] = {"testville.operating": operating, "testville.star_award": star_award}


def load() -> tr.Policy:
    """The entry point's object: a zero-argument callable returning the Policy."""
    return tr.build_policy(DATA, RULES, origin="tuoyu_good_plugin:DATA")


POLICY = load()
"""The same policy as an object, for an entry point that names a Policy rather than a factory."""
