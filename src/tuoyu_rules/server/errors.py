"""Every error as a 4xx JSON answer naming the field and the rule broken: never a 500 for bad input, never a
traceback.

The body of every error (:class:`ErrorBody`)::

    {"status": 422, "error": "ValidationError", "message": "enrolled: ...",
     "problems": [{"field": "enrolled", "problem": "..."}]}

How each exception is answered (:func:`install`):

* JSON that cannot be read (:class:`~tuoyu_rules.core.jsonio.JsonError`: not JSON, a key given twice, NaN, too
  deep): **400**;
* a body over the limit (:class:`_BodyTooLarge`): **413**;
* a facility or body that breaks a model (``pydantic.ValidationError``), a query parameter that does
  (FastAPI's ``RequestValidationError``), and every :class:`~tuoyu_rules.TuoyuError` the library raises for
  its input (``InvalidInput``, ``UnknownJurisdiction``, ``UnknownProgram``, ...): **422**;
* a jurisdiction or plugin whose own data or rules are broken (``PolicyDataError``, ``PluginError``): **503**,
  the fault of the installed rules, not of the request;
* a missing or wrong bearer token: **401**; an unknown path **404**, a wrong method **405**;
* anything else (a bug): **500** with ``"error": "InternalError"`` and no detail; the traceback goes to the
  server's log only.

Messages are in English (the library's messages are; see ``docs/how-to/serve.md`` on ``lang``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ..core.errors import InvalidInput, PluginError, PolicyDataError, TuoyuError, UnknownJurisdiction, UnknownProgram
from ..core.jsonio import JsonError

MAX_MESSAGE_CHARS = 2_000
"""An error message is cut to this length (an echoed hostile value never makes a huge answer)."""

MAX_PROBLEMS = 50
"""At most this many problems are listed (a batch of bad fields never makes a huge answer)."""

_log = logging.getLogger("tuoyu_rules.server")


class Problem(BaseModel):
    """One broken rule: the field at fault (a dotted path, such as ``facility.enrolled``) and what is wrong."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="The field at fault, a dotted path (`facility.enrolled`, `on`, `body`).")
    problem: str = Field(description="The rule the value broke, in English.")


class ErrorBody(BaseModel):
    """Every error answer of the service, and every error line of ``POST /assess/batch`` (with ``line``)."""

    model_config = ConfigDict(frozen=True)

    status: int = Field(description="The HTTP status (also on an error line of a batch, whose answer is 200).")
    error: str = Field(description="The kind of error: the exception's class name, such as `ValidationError`.")
    message: str = Field(description="The problems on one line, in English.")
    problems: tuple[Problem, ...] = Field(description="Each field at fault and the rule it broke.")
    line: int | None = Field(default=None, description="`POST /assess/batch` only: the input line (from 1).")


class _BodyTooLarge(Exception):
    """A request body over its limit (answered 413): more than ``limit`` bytes, or ``unit`` (rows of a batch,
    facilities of a budget)."""

    def __init__(self, limit: int, unit: str = "bytes") -> None:
        self.limit = limit
        self.unit = unit
        if unit == "bytes":
            text = f"the body is larger than {limit:,} bytes, the most this endpoint reads"
        else:
            text = f"more than {limit:,} {unit}, the most one request may have; split it"
        super().__init__(text)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _validation_problems(errors: Iterable[Any], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for err in errors:
        loc = [str(p) for p in err["loc"]]
        if loc and loc[0] in ("query", "path", "body", "header"):  # FastAPI's request parts
            loc = loc[1:] or [loc[0]]
        field = ".".join([prefix, *loc] if prefix else loc) or "body"
        found.append((field, str(err["msg"]).removeprefix("Value error, ")))
    return found


def problems_of(exc: BaseException, prefix: str = "") -> tuple[int, str, list[tuple[str, str]]]:
    """The status, kind and ``(field, problem)`` pairs an exception is answered with (see the module's list).

    :param prefix: the field path the data sat under (``facility`` in a wrapped body), for validation errors.
    """
    kind = type(exc).__name__
    if isinstance(exc, ValidationError):
        return 422, kind, _validation_problems(exc.errors(include_url=False, include_input=False), prefix)
    if isinstance(exc, RequestValidationError):
        return 422, "ValidationError", _validation_problems(exc.errors())
    if isinstance(exc, _BodyTooLarge):
        return 413, "BodyTooLarge", [("body" if exc.unit in ("bytes", "rows") else exc.unit, str(exc))]
    if isinstance(exc, JsonError):
        return 400, kind, [(exc.field, exc.problem)]
    if isinstance(exc, InvalidInput):
        return 422, kind, [(exc.field, exc.problem)]
    if isinstance(exc, UnknownJurisdiction):
        return 422, kind, [("jurisdiction", str(exc))]
    if isinstance(exc, UnknownProgram):
        return 422, kind, [(exc.what, str(exc))]
    if isinstance(exc, PluginError | PolicyDataError):
        return 503, kind, [("rules", str(exc))]
    if isinstance(exc, TuoyuError):
        return 422, kind, [("input", str(exc))]
    return 500, "InternalError", [("server", "an internal error; the server's log has the details")]


def error_data(status: int, kind: str, problems: list[tuple[str, str]], line: int | None = None) -> dict[str, Any]:
    """The :class:`ErrorBody` of an answer, as JSON data."""
    shown = problems[:MAX_PROBLEMS]
    message = "; ".join(f"{field}: {problem}" for field, problem in shown)
    if len(problems) > len(shown):
        message += f"; and {len(problems) - len(shown)} more"
    data: dict[str, Any] = {
        "status": status,
        "error": kind,
        "message": _cut(message),
        "problems": [{"field": _cut(field), "problem": _cut(problem)} for field, problem in shown],
    }
    if line is not None:
        data["line"] = line
    return data


def error_response(
    status: int, kind: str, problems: list[tuple[str, str]], headers: Mapping[str, str] | None = None
) -> Response:
    """An error answer: :func:`error_data` as JSON, with ``status``."""
    body = json.dumps(error_data(status, kind, problems), ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def answer(exc: BaseException, prefix: str = "") -> Response:
    """The answer to ``exc`` (see the module's list); an unexpected exception is logged with its traceback."""
    status, kind, problems = problems_of(exc, prefix)
    if status == 500:
        _log.error("internal error", exc_info=exc)
    return error_response(status, kind, problems)


async def _handle(request: Request, exc: Exception) -> Response:
    return answer(exc)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kind = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
    return error_response(exc.status_code, kind, [("path", str(exc.detail))], headers=exc.headers)


def install(app: FastAPI) -> None:
    """Answer every exception of the module's list, on every route of ``app``."""
    for exc_type in (ValidationError, RequestValidationError, TuoyuError, _BodyTooLarge, Exception):
        app.add_exception_handler(exc_type, _handle)
    app.add_exception_handler(HTTPException, _http)
