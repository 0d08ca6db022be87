"""Every error as a 4xx JSON answer naming the field and the rule broken, in the language asked: never a 500 for
bad input, never a traceback.

The body of every error (:class:`ErrorBody`)::

    {"status": 422, "error": "ValidationError", "message": "enrolled: ...",
     "problems": [{"field": "enrolled", "problem": "...", "code": "error.limit.enrolled_places"}]}

How each exception is answered (:func:`install`):

* JSON that cannot be read (:class:`~tuoyu_rules.core.jsonio.JsonError`: not JSON, a key given twice, NaN, too
  deep): **400**;
* a body over the limit (:class:`_BodyTooLarge`): **413**;
* a facility or body that breaks a model (``pydantic.ValidationError``), a query parameter that does
  (FastAPI's ``RequestValidationError``), and every :class:`~tuoyu_rules.TuoyuError` the library raises for
  its input (``InvalidInput``, ``UnknownJurisdiction``, ``UnknownProgram``, a ``lang`` other than ``zh`` or
  ``en``, ...): **422**;
* a jurisdiction or plugin whose own data or rules are broken (``PolicyDataError``, ``PluginError``): **503**,
  the fault of the installed rules, not of the request;
* a missing or wrong bearer token: **401**; an unknown path **404**, a wrong method **405**;
* anything else (a bug): **500** with ``"error": "InternalError"`` and no detail; the traceback goes to the
  server's log only.

The texts follow the request's ``lang`` (``zh`` or ``en``; English when it is absent or not one of them), as the
``Content-Language`` header of the answer says: the library's errors are told by
:func:`tuoyu_rules.core.error_text.error_text` (the ``message``) and, problem by problem, by their codes in the
library's error catalog; the service's own (a body over its limit, a token, a path) by its catalog,
``server/messages.toml``. Each problem carries its stable ``code``, the same in every language.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..core.error_text import error_explanations, error_text
from ..core.errors import InvalidInput, PluginError, PolicyDataError, TuoyuError, UnknownJurisdiction, UnknownProgram
from ..core.jsonio import JsonError
from ..core.messages import DEFAULT_LANG, LANGS, Catalog, Explanation, Lang, Message, msg, package_catalog

MAX_MESSAGE_CHARS = 2_000
"""An error message is cut to this length (an echoed hostile value never makes a huge answer)."""

MAX_PROBLEMS = 50
"""At most this many problems are listed (a batch of bad fields never makes a huge answer)."""

_log = logging.getLogger("tuoyu_rules.server")

_WHERE = frozenset({"field", "row"})
"""Parameters of an error's explanation that say where it is (its field, its row), not what is wrong. A row's
facility ``key`` comes with its ``row`` (whose text is used as it is); any other ``key`` is the rule's own
parameter (``error.json.key_twice``: the key given twice)."""


class Problem(BaseModel):
    """One broken rule: the field at fault (a dotted path, such as ``facility.enrolled``), what is wrong, in the
    language asked, and the rule's stable code."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="The field at fault, a dotted path (`facility.enrolled`, `on`, `body`).")
    problem: str = Field(description="The rule the value broke, in the language asked (`lang`).")
    code: str = Field(
        description="The rule's stable code (`error.input.greater_than_equal`, `server.body.too_large`): the same "
        "in every language, for a client to map."
    )


class ErrorBody(BaseModel):
    """Every error answer of the service, and every error line of ``POST /assess/batch`` (with ``line``)."""

    model_config = ConfigDict(frozen=True)

    status: int = Field(description="The HTTP status (also on an error line of a batch, whose answer is 200).")
    error: str = Field(description="The kind of error: the exception's class name, such as `ValidationError`.")
    message: str = Field(description="What is wrong, on one line, in the language asked (`lang`).")
    problems: tuple[Problem, ...] = Field(description="Each field at fault and the rule it broke.")
    line: int | None = Field(default=None, description="`POST /assess/batch` only: the input line (from 1).")


class Said(NamedTuple):
    """A problem as the answer gives it: its field, its text in the language asked, its code."""

    field: str
    problem: str
    code: str


class _BodyTooLarge(Exception):
    """A request body over its limit (answered 413): more than ``limit`` bytes, or ``unit`` (rows of a batch,
    facilities of a budget)."""

    CODES: Mapping[str, str] = {
        "bytes": "server.body.too_large",
        "rows": "server.body.too_many_rows",
        "facilities": "server.body.too_many_facilities",
    }

    def __init__(self, limit: int, unit: str = "bytes") -> None:
        self.limit = limit
        self.unit = unit
        self.message = msg(self.CODES[unit], limit=limit)
        super().__init__(say(self.message, DEFAULT_LANG))


def catalog() -> Catalog:
    """The service's catalog (``server/messages.toml``), then the library's."""
    return package_catalog("tuoyu_rules.server")


def say(message: Message, lang: Lang) -> str:
    """One of the service's own messages, in ``lang``."""
    return catalog().render(message, lang)


def request_lang(query: Mapping[str, str]) -> Lang:
    """The language a request asks for (its ``lang``); English when it asks for none, or for another."""
    lang = query.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _own(field: str, message: Message, lang: Lang) -> Said:
    return Said(field, say(message, lang), message.code)


def _told(explained: Explanation, lang: Lang, default_field: str) -> Said:
    """An explanation of the library's error catalog as a problem: its field apart, the rule alone in ``lang``."""
    field = explained.params.get("field") or default_field
    rest = tuple((k, v) for k, v in explained.params.items() if k not in _WHERE)
    if "row" in explained.params:  # a row's problem says its row in its text
        return Said(field, explained.text(lang), explained.code)
    return Said(field, catalog().render(Message(explained.code, rest), lang), explained.code)


def _library(exc: BaseException, lang: Lang, default_field: str) -> list[Said]:
    return [_told(e, lang, default_field) for e in error_explanations(exc)]


def _as_pydantic(exc: RequestValidationError) -> ValidationError | None:
    """FastAPI's errors of the query and path parameters as a pydantic ``ValidationError`` (their fields without
    FastAPI's ``query``/``path`` part), so the library tells them as it tells pydantic's; None when an error's type
    is not one pydantic knows."""
    line_errors: list[Any] = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        if loc and loc[0] in ("query", "path", "body", "header"):  # FastAPI's request parts
            loc = loc[1:] or [loc[0]]
        line: dict[str, Any] = {"type": err["type"], "loc": tuple(loc), "input": err.get("input")}
        if err.get("ctx"):
            line["ctx"] = err["ctx"]
        line_errors.append(line)
    try:
        return ValidationError.from_exception_data("request", line_errors)
    except (KeyError, TypeError, ValueError):
        return None


def _request_problems(exc: RequestValidationError) -> list[Said]:
    """FastAPI's errors in its own words (English): for an error type pydantic does not know."""
    found = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        if loc and loc[0] in ("query", "path", "body", "header"):
            loc = loc[1:] or [loc[0]]
        found.append(Said(".".join(loc) or "request", str(err["msg"]), "error.invalid"))
    return found


def problems_of(exc: BaseException, lang: Lang = DEFAULT_LANG) -> tuple[int, str, list[Said]]:
    """The status, kind and problems an exception is answered with (see the module's list), in ``lang``."""
    kind = type(exc).__name__
    if isinstance(exc, RequestValidationError):
        return 422, "ValidationError", _request_problems(exc)
    if isinstance(exc, _BodyTooLarge):
        return 413, "BodyTooLarge", [_own("body" if exc.unit in ("bytes", "rows") else exc.unit, exc.message, lang)]
    if isinstance(exc, ValidationError):
        return 422, kind, _library(exc, lang, "body")
    if isinstance(exc, JsonError):
        return 400, kind, _library(exc, lang, exc.field)
    if isinstance(exc, InvalidInput):
        return 422, kind, _library(exc, lang, exc.field)
    if isinstance(exc, UnknownJurisdiction):
        return 422, kind, _library(exc, lang, "jurisdiction")
    if isinstance(exc, UnknownProgram):
        return 422, kind, _library(exc, lang, exc.what)
    if isinstance(exc, PluginError | PolicyDataError):
        return 503, kind, _library(exc, lang, "rules")
    if isinstance(exc, TuoyuError):
        return 422, kind, _library(exc, lang, "input")
    return 500, "InternalError", [_own("server", msg("server.internal"), lang)]


def message_of(exc: BaseException | None, problems: list[Said], lang: Lang) -> str:
    """The ``message`` of an answer: the library's one line for its errors (:func:`error_text`), else the
    problems, each after its field, on one line."""
    if isinstance(exc, TuoyuError | ValidationError):
        return error_text(exc, lang)
    shown = problems[:MAX_PROBLEMS]
    texts = [catalog().render(msg("error.at", field=p.field, problem=p.problem), lang) for p in shown]
    if len(problems) > len(shown):
        texts.append(catalog().render(msg("error.more", count=len(problems) - len(shown)), lang))
    return ("；" if lang == "zh" else "; ").join(texts)


def error_data(
    status: int,
    kind: str,
    problems: list[Said],
    line: int | None = None,
    *,
    exc: BaseException | None = None,
    lang: Lang = DEFAULT_LANG,
) -> dict[str, Any]:
    """The :class:`ErrorBody` of an answer, as JSON data (``exc``: the exception it answers, if any)."""
    shown = problems[:MAX_PROBLEMS]
    data: dict[str, Any] = {
        "status": status,
        "error": kind,
        "message": _cut(message_of(exc, problems, lang)),
        "problems": [{"field": _cut(p.field), "problem": _cut(p.problem), "code": p.code} for p in shown],
    }
    if line is not None:
        data["line"] = line
    return data


def error_json(exc: BaseException, lang: Lang, line: int | None = None) -> dict[str, Any]:
    """The :class:`ErrorBody` of ``exc`` as JSON data, in ``lang`` (``line``: of a batch)."""
    if isinstance(exc, RequestValidationError):  # told as the library tells pydantic's errors, when it can be
        exc = _as_pydantic(exc) or exc
        if isinstance(exc, ValidationError):
            _, _, problems = problems_of(exc, lang)
            return error_data(422, "ValidationError", problems, line, exc=exc, lang=lang)
    status, kind, problems = problems_of(exc, lang)
    return error_data(status, kind, problems, line, exc=exc, lang=lang)


def respond(data: Mapping[str, Any], lang: Lang, headers: Mapping[str, str] | None = None) -> Response:
    """An error answer: ``data`` (an :class:`ErrorBody` as JSON data) with its status, its texts in ``lang``."""
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    all_headers = {**(headers or {}), "Content-Language": lang}
    return Response(body, status_code=data["status"], media_type="application/json", headers=all_headers)


def error_response(
    status: int, kind: str, problems: list[Said], lang: Lang, headers: Mapping[str, str] | None = None
) -> Response:
    """An error answer of the service's own (no exception of the library): :func:`error_data` as JSON."""
    return respond(error_data(status, kind, problems, lang=lang), lang, headers)


def answer(exc: BaseException, lang: Lang = DEFAULT_LANG) -> Response:
    """The answer to ``exc`` (see the module's list), in ``lang``; an unexpected exception is logged with its
    traceback."""
    data = error_json(exc, lang)
    if data["status"] == 500:
        _log.error("internal error", exc_info=exc)
    return respond(data, lang)


def own_problem(field: str, message: Message, lang: Lang) -> list[Said]:
    """One problem of the service's own, for :func:`error_response`."""
    return [_own(field, message, lang)]


async def _handle(request: Request, exc: Exception) -> Response:
    return answer(exc, request_lang(request.query_params))


_PATH_CODES: Mapping[int, tuple[str, str]] = {
    404: ("NotFound", "server.path.not_found"),
    405: ("MethodNotAllowed", "server.path.method_not_allowed"),
}


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    lang = request_lang(request.query_params)
    kind, code = _PATH_CODES.get(exc.status_code, ("HTTPError", "server.path.other"))
    message = msg(code) if code != "server.path.other" else msg(code, detail=str(exc.detail))
    return error_response(exc.status_code, kind, own_problem("path", message, lang), lang, headers=exc.headers)


def install(app: FastAPI) -> None:
    """Answer every exception of the module's list, on every route of ``app``."""
    for exc_type in (ValidationError, RequestValidationError, TuoyuError, _BodyTooLarge, Exception):
        app.add_exception_handler(exc_type, _handle)
    app.add_exception_handler(HTTPException, _http)
