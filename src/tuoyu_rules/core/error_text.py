"""Errors in words: what an exception of the library says, in Chinese or English.

:func:`error_text` gives one line for any exception the library raises (the CLI's error line, a service's
message); :func:`error_explanations` gives each problem as an :class:`~tuoyu_rules.core.messages.Explanation`,
its stable code, parameters and both texts. The texts come from the error catalog, ``core/errors.toml``:

* an error of the library with a ``code`` (:attr:`~tuoyu_rules.core.errors.TuoyuError.code`) is that code's
  template filled with its ``params``; one with none is ``error.invalid``, its English text a parameter;
* a pydantic ``ValidationError`` (an :class:`~tuoyu_rules.core.errors.InvalidData` too) is one problem per
  error: a validator's own error by its type (``error.limit.enrolled_places``), pydantic's own as
  ``error.input.<type>`` (``error.input.greater_than_equal``), the context as parameters; never pydantic's
  message as it is, unless no template fits (``error.invalid`` then).

The field at fault comes first (``error.at``): ``托位数（places）：应大于或等于0`` / ``places: Input should be
greater than or equal to 0``. An error's English line is its ``str()`` where it has one field and problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pydantic

from .errors import InvalidInput, NotFound, PluginError, PolicyDataError, TuoyuError
from .messages import (
    LANGS,
    Catalog,
    Explanation,
    Lang,
    Message,
    check_lang,
    core_catalog,
    error_messages,
    msg,
    template_params,
)

__all__ = ["error_explanations", "error_text"]

INPUT_PREFIX = "error.input."
"""pydantic's own error ``<type>`` is told by the code ``error.input.<type>``."""

CUSTOM_TYPES: Mapping[str, str] = {
    "money": "error.money.invalid",
    "exact_decimal": "error.number.exact",
}
"""Error types of custom validators that are not catalog codes, and the code that tells them."""

_BY_KIND: tuple[tuple[type[BaseException], str], ...] = (
    (PluginError, "error.plugin"),
    (PolicyDataError, "error.policy_data"),
    (NotFound, "error.not_found"),
    (TuoyuError, "error.invalid"),
)
"""The code of an error with no code of its own, by its class (first match; any other exception: ``error.other``)."""


def error_text(exc: BaseException, lang: Lang) -> str:
    """One line saying what is wrong with ``exc``, in ``lang``: the field at fault and the rule it broke (the first
    problem, and how many more there are when there are several).

    The templates hold no line break; a value quoted from the input is kept as the error holds it (a caller that
    writes to a terminal escapes its control characters, as the CLI does)."""
    lang = check_lang(lang)
    explanations = error_explanations(exc)
    line = explanations[0].text(lang)
    if len(explanations) > 1:
        more = core_catalog().render(msg("error.more", count=len(explanations) - 1), lang)
        line += more if lang == "zh" else f" {more}"
    return line


def error_explanations(exc: BaseException) -> tuple[Explanation, ...]:
    """Each problem of ``exc`` as an :class:`Explanation` (code, params, zh, en): every error of a pydantic
    ``ValidationError``, in its order; one for any other exception. ``params`` holds the code's parameters and,
    when a field is at fault, ``field`` (its dotted path)."""
    catalog = core_catalog()
    if isinstance(exc, pydantic.ValidationError):
        found = tuple(_explain(catalog, *_pydantic_problem(err)) for err in exc.errors(include_url=False))
        if found:
            return found
    parts = exc.param_problems if isinstance(exc, TuoyuError) else {}
    if isinstance(exc, InvalidInput) and not isinstance(exc, pydantic.ValidationError):
        explained = _explain(catalog, _problem(exc, exc.problem), exc.field, parts)
        row = getattr(exc, "row", None)
        if isinstance(row, int):
            return (_in_row(catalog, explained, row, getattr(exc, "facility_id", None)),)
        return (explained,)
    return (_explain(catalog, _problem(exc, str(exc) or type(exc).__name__), None, parts),)


def _problem(exc: BaseException, text: str) -> Message:
    """The message of ``exc``: its code and params when the catalog has the code and they fill it."""
    code = getattr(exc, "code", None) if isinstance(exc, TuoyuError) else None
    params: Mapping[str, str] = getattr(exc, "params", {}) if code is not None else {}
    if code is not None and _fits(code, params):
        return Message(code, tuple(params.items()))
    fallback = next((c for kind, c in _BY_KIND if isinstance(exc, kind)), "error.other")
    return msg(fallback, problem=text)


def _fits(code: str, params: Mapping[str, Any]) -> bool:
    entry = error_messages().get(code)
    return entry is not None and template_params(entry.en) <= set(params)


def _pydantic_problem(err: Mapping[str, Any]) -> tuple[Message, str | None]:
    """One error of a ``ValidationError`` as a message, and the dotted path of its field (None: the whole input)."""
    path = ".".join(str(part) for part in err.get("loc", ())) or None
    kind, ctx = str(err.get("type", "")), err.get("ctx") or {}
    text = str(err.get("msg", "")).removeprefix("Value error, ")
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, TuoyuError):  # an error of the library inside a validator
        return _problem(cause, cause.problem if isinstance(cause, InvalidInput) else str(cause)), path
    code = kind if kind.startswith("error.") else CUSTOM_TYPES.get(kind, INPUT_PREFIX + kind)
    entry = error_messages().get(code)
    if entry is None or not template_params(entry.en) <= set(ctx):
        return msg("error.invalid", problem=text), path
    return Message(code, tuple((name, _ctx_text(name, ctx[name])) for name in sorted(template_params(entry.en)))), path


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _ctx_text(name: str, value: object) -> str:
    """A value of a pydantic error's context as a parameter: ``expected`` (``"'a', 'b' or 'c'"``) as the list of
    choices, ``a, b, c``; any other as its ``str()``."""
    text = str(value)
    if name == "expected":
        choices = _QUOTED.findall(text)
        return ", ".join(choices) if choices else text.replace(" or ", ", ")
    return text


def _explain(
    catalog: Catalog, problem: Message, field: str | None, parts: Mapping[str, tuple[Explanation, ...]] | None = None
) -> Explanation:
    """``problem`` of ``field`` (none: of the whole input) as an Explanation, the field before it. A parameter
    that is problems of its own (``parts``: :attr:`~tuoyu_rules.core.errors.TuoyuError.param_problems`) is their
    texts in Chinese, joined by ``；``; in English it is the parameter as the error holds it."""
    texts = {lang: catalog.render(_told(problem, parts or {}, lang), lang) for lang in LANGS}
    params = dict(problem.params)
    if field:
        params["field"] = field
        texts = {lang: catalog.render(msg("error.at", field=field, problem=t), lang) for lang, t in texts.items()}
    return Explanation.model_construct(code=problem.code, params=params, zh=texts["zh"], en=texts["en"])


def _told(problem: Message, parts: Mapping[str, tuple[Explanation, ...]], lang: Lang) -> Message:
    """``problem`` with each parameter of ``parts`` told in ``lang`` (Chinese: its problems' texts)."""
    if lang == "en" or not any(parts.get(name) for name, _ in problem.params):
        return problem
    told = tuple((k, "；".join(p.zh for p in parts[k]) if parts.get(k) else v) for k, v in problem.params)
    return Message(problem.code, told)


def _in_row(catalog: Catalog, explained: Explanation, row: int, key: object) -> Explanation:
    """``explained`` as the problem of row ``row`` of a file (and of the facility ``key``, when it has one)."""
    params = {**explained.params, "row": str(row)}
    if isinstance(key, str):
        params["key"] = key
    texts: dict[Lang, str] = {}
    for lang in LANGS:
        line = explained.text(lang)
        row_at = msg("error.row.at_key", row=row, key=key, problem=line) if isinstance(key, str) else None
        texts[lang] = catalog.render(row_at or msg("error.row.at", row=row, problem=line), lang)
    return Explanation.model_construct(code=explained.code, params=params, zh=texts["zh"], en=texts["en"])
