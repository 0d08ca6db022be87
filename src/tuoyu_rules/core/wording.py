"""Amounts, ranges and days in words, per language: what a message's ``{x:money}``, ``{x:range}`` and ``{x:date}``
placeholders render (:mod:`tuoyu_rules.core.messages`).

Amounts in Chinese text follow one rule: 10,000 yuan or more, in whole hundreds, in 万 (``5万元``, ``1.5万元``);
any other with thousands separators (``9,600元``, ``12,345.67元``). An amount with more than two decimals (an exact
midpoint) is written with all of them, never rounded in words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

Lang = Literal["zh", "en"]


def money_text(value: Decimal | str, lang: Lang, *, unit: bool = True) -> str:
    """An amount in text: zh ``5万元`` (10,000 or more, whole hundreds) or ``9,600元``; en ``50,000 yuan``.

    Worked out in integer fen (no decimal context is read: the same words whatever the caller's); an amount with
    more than two decimals is written with all of them."""
    fen = _fen(value)
    if fen is None:  # more than two decimals (an exact midpoint): every digit, never rounded in words
        text = f"{Decimal(value).normalize():,f}"
    elif lang == "zh" and fen >= 1_000_000 and fen % 10_000 == 0:
        wan, rest = divmod(fen // 10_000, 100)
        text = f"{wan}.{rest:02d}".rstrip("0").rstrip(".") + "万"
    else:
        yuan, cents = divmod(fen, 100)
        text = f"{yuan:,}" if cents == 0 else f"{yuan:,}.{cents:02d}"
    if not unit:
        return text
    return text + ("元" if lang == "zh" else " yuan")


def _fen(value: Decimal | str) -> int | None:
    """``value`` in integer fen (a negative amount keeps its sign), or None when it has more than two decimals."""
    number = value if isinstance(value, Decimal) else Decimal(value)
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{value!r} is not an amount")
    if exponent < -2:
        trimmed = number.normalize().as_tuple().exponent
        if not isinstance(trimmed, int) or trimmed < -2:
            return None
        sign, digits, exponent = number.normalize().as_tuple()
        assert isinstance(exponent, int)
    whole = int("".join(map(str, digits)) or "0")
    fen = int(whole * 10 ** (exponent + 2))  # exponent >= -2 here: a whole number of fen
    return -fen if sign else fen


def range_text(value: str, lang: Lang) -> str:
    """A range parameter (``"low..high"``, ``"low.."``, ``"a|b|c"`` or one amount) in text."""
    if "|" in value:
        items = [money_text(v, lang, unit=False) for v in value.split("|")]
        if lang == "zh":
            return "、".join(items[:-1]) + "或" + items[-1] + "元"
        return ", ".join(items[:-1]) + " or " + items[-1] + " yuan"
    low_text, sep, high_text = value.partition("..")
    if not sep or low_text == high_text:
        return money_text(low_text, lang)
    if not high_text:
        if _fen(low_text) == 0:
            return "金额未定" if lang == "zh" else "an amount not stated"
        return f"不低于{money_text(low_text, lang)}" if lang == "zh" else f"at least {money_text(low_text, lang)}"
    if lang == "zh":
        return f"{money_text(low_text, lang, unit=False)}~{money_text(high_text, lang)}"
    return f"{money_text(low_text, lang, unit=False)} to {money_text(high_text, lang)}"


def date_text(value: str, lang: Lang) -> str:
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()
