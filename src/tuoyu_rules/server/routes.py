"""The facility routes: ``POST /assess``, ``POST /assess/batch``, ``POST /compare``, ``POST /budget``.

``/assess`` answers exactly ``tr.assess(...).model_dump_json()`` (the JSON of ``model_dump(mode="json")``): a
facility alone goes through the shared fact-keyed cache of its day and options, whose stored results are kept as
UTF-8 JSON (:class:`~tuoyu_rules.server.caches.Answers`: the same bytes, tested); with pins or a reform the engine
runs directly. The common request (a facility alone; ``on``, ``lang``, ``jurisdiction``) is answered before the
routing by :mod:`~tuoyu_rules.server.fast`, with this route's functions: the same answer. ``/assess/batch``
reads the whole body (at most its limit, so a client that sends everything before reading can never deadlock
with the streamed answer), then streams one line per input line, assessed in chunks off the event loop, through
the same shared cache.

Every route takes ``lang=zh|en`` (English by default): the language of the reasons, notes and error texts of its
answer, said by the answer's ``Content-Language`` header; the codes and parameters of each explanation are the
same in both.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.responses import Response, StreamingResponse

from ..core.engine import assess
from ..core.errors import InvalidInput, TuoyuError
from ..core.messages import DEFAULT_LANG, LANGS, Lang, check_lang, msg
from ..core.models import Facility
from ..core.money import DEFAULT_ROUNDING
from ..core.results import Assessment
from ..whatif import Budget, budget, compare
from .bodies import AssessRequest, BudgetRequest, CompareRequest, Rounding, is_wrapped, read_bytes, read_json
from .caches import Answers, Caches
from .errors import _BodyTooLarge, error_data, error_json, own_problem
from .openapi import JSON, NDJSON, Components
from .settings import Settings

CHUNK_ROWS: Final = 32
"""Rows of a batch assessed per step off the event loop (one step of the streamed answer). An answer line was
about 12 KB (17 KB since each explanation has both texts): 32 of them (400 KB) measured fastest (256 lines, 3 MB
a step, cost fresh pages on every join)."""

LANGUAGES: Final = LANGS
"""The languages of the texts (reasons, notes, errors): ``zh`` and ``en``."""

_log = logging.getLogger("tuoyu_rules.server")

Day = Annotated[
    str,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="The day whose rules apply, YYYY-MM-DD.",
        examples=["2024-01-01"],
    ),
]
Jurisdiction = Annotated[
    str | None,
    Query(max_length=64, description="What-if: apply this city's (or district's, or division code's) rules instead."),
]
LangQuery = Annotated[
    str,
    Query(
        description="The language of the texts (reasons, notes, error messages): `zh` or `en` (the default). The "
        "answer's `Content-Language` header says which; each explanation has both texts whatever is asked.",
        json_schema_extra={"enum": list(LANGS)},
    ),
]
"""``lang``: checked by the library (:func:`~tuoyu_rules.core.messages.check_lang`), so a bad one is a 422 naming
``lang``, answered in English."""
RoundingMode = Annotated[Rounding, Query(description="The decimal rounding mode.")]


def day(text: str, field: str = "on") -> dt.date:
    """A ``YYYY-MM-DD`` query value as a date; a day that does not exist is an :class:`InvalidInput`."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        template = "{value} is not a day written YYYY-MM-DD"
        raise InvalidInput.coded(field, "error.day.format", template, value=repr(text[:40])) from None


def json_answer(text: str | bytes, lang: Lang = DEFAULT_LANG) -> Response:
    """JSON text as a 200 answer, its texts in ``lang`` (its ``Content-Language``)."""
    body = text.encode("utf-8") if isinstance(text, str) else text
    return Response(body, media_type=JSON, headers={"Content-Language": lang})


def assess_lines(answers: Answers, lines: list[bytes], first: int, lang: Lang = DEFAULT_LANG) -> bytes:
    """One output line per input line (numbered from ``first``): its assessment, or its error (with ``line``),
    the error's texts in ``lang``."""
    out: list[bytes] = []
    for number, line in enumerate(lines, start=first):
        try:
            if not line.strip():
                empty = own_problem("line", msg("server.batch.empty_line"), lang)
                out.append(json.dumps(error_data(422, InvalidInput.__name__, empty, number, lang=lang)).encode())
                continue
            out.append(answers.json_bytes(line))
        except (TuoyuError, ValidationError) as exc:
            out.append(json.dumps(error_json(exc, lang, line=number), ensure_ascii=False).encode())
        except Exception as exc:  # a bug: this line says so, the others are still answered
            _log.error("internal error on batch line %d", number, exc_info=exc)
            out.append(json.dumps(error_json(exc, lang, line=number), ensure_ascii=False).encode())
    out.append(b"")
    return b"\n".join(out)


def batch_lines(body: bytes, max_rows: int) -> list[bytes]:
    """The lines of a JSON Lines body (a final newline ends the last line; ``\\r\\n`` is taken too).

    :raises _BodyTooLarge: more than ``max_rows`` lines (answered 413 before anything is assessed).
    """
    if not body:
        return []
    lines = body.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    if len(lines) > max_rows:
        raise _BodyTooLarge(max_rows, "rows")
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def router(settings: Settings, caches: Caches, components: Components) -> APIRouter:
    """The facility routes, sharing ``caches`` and bounded by ``settings``."""
    api = APIRouter()
    c = components
    assessment = c.answer(c.ref(Assessment), 'Exactly `tr.assess(...).model_dump(mode="json")`.')

    @api.post(
        "/assess",
        summary="Assess one facility",
        responses={200: assessment, **c.errors(400, 401, 413, 422, 503)},
        openapi_extra=c.body(
            Facility,
            AssessRequest,
            description='A facility, or `{"facility": ..., "pins": ..., "reform": ...}` for options.',
        ),
    )
    async def assess_one(
        request: Request,
        on: Day,
        jurisdiction: Jurisdiction = None,
        lang: LangQuery = DEFAULT_LANG,
        rounding: RoundingMode = DEFAULT_ROUNDING,
    ) -> Response:
        """A facility in, exactly the library's assessment out (``tr.assess(...).model_dump(mode="json")``)."""
        said = check_lang(lang)
        when = day(on)
        data = await read_json(request, settings.max_body_bytes)
        if not is_wrapped(data):
            return json_answer(caches.answers(when, jurisdiction, rounding, said).json_bytes(data), said)
        req = AssessRequest.model_validate(data)
        result = assess(
            req.facility,
            jurisdiction=jurisdiction,
            on=when,
            rounding=rounding,
            pins=req.pins,
            reform=None if req.reform is None else req.reform.reform(),
            lang=said,
        )
        return json_answer(result.model_dump_json(), said)

    @api.post(
        "/assess/batch",
        summary="Assess many facilities: JSON Lines in, JSON Lines out, streamed",
        responses={
            200: c.answer(
                {"type": "string", "description": "One line per input line: its assessment, or an ErrorBody."},
                "One line per input line, in order: the line's assessment (as `/assess` answers it) or, for a "
                "bad line, its error (an `ErrorBody` with `line`); the other lines are still assessed.",
                NDJSON,
            ),
            **c.errors(401, 413, 422),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "JSON Lines: one facility (as JSON) per line.",
                "content": {NDJSON: {"schema": {"type": "string"}}},
            }
        },
    )
    async def assess_batch(
        request: Request,
        on: Day,
        jurisdiction: Jurisdiction = None,
        lang: LangQuery = DEFAULT_LANG,
        rounding: RoundingMode = DEFAULT_ROUNDING,
    ) -> Response:
        """JSON Lines of facilities in; one line per input line out, streamed, through the shared cache."""
        said = check_lang(lang)
        answers = caches.answers(day(on), jurisdiction, rounding, said)
        lines = batch_lines(await read_bytes(request, settings.max_batch_bytes), settings.max_batch_rows)

        async def produce() -> AsyncIterator[bytes]:
            for start in range(0, len(lines), CHUNK_ROWS):
                chunk = lines[start : start + CHUNK_ROWS]
                yield await run_in_threadpool(assess_lines, answers, chunk, start + 1, said)

        return StreamingResponse(produce(), media_type=NDJSON, headers={"Content-Language": said})

    @api.post(
        "/compare",
        summary="Assess one facility moved to each city",
        responses={
            200: c.answer(
                {"type": "object", "additionalProperties": c.ref(Assessment)},
                "City id -> the assessment of the facility moved there (what `tuoyu compare --format json` prints).",
            ),
            **c.errors(400, 401, 413, 422, 503),
        },
        openapi_extra=c.body(
            Facility,
            CompareRequest,
            description='A facility, or `{"facility": ..., "pins": ..., "reform": ..., "cities": [...]}`.',
        ),
    )
    async def compare_cities(
        request: Request, on: Day, lang: LangQuery = DEFAULT_LANG, rounding: RoundingMode = DEFAULT_ROUNDING
    ) -> Response:
        """The same facility assessed in every city (or those named), on one day."""
        said = check_lang(lang)
        when = day(on)
        data = await read_json(request, settings.max_body_bytes)
        req = CompareRequest.model_validate(data if is_wrapped(data) else {"facility": data})
        reform = None if req.reform is None else req.reform.reform()

        def run() -> str:
            result = compare(
                req.facility, on=when, cities=req.cities, reform=reform, rounding=rounding, pins=req.pins, lang=said
            )
            return json.dumps(result.to_json_data(), ensure_ascii=False)

        return json_answer(await run_in_threadpool(run), said)

    @api.post(
        "/budget",
        summary="Budget a portfolio, under the law and each reform",
        responses={200: c.answer(c.ref(Budget), "The budget."), **c.errors(400, 401, 413, 422, 503)},
        openapi_extra=c.body(BudgetRequest, description="The facilities and the scenarios."),
    )
    async def budget_portfolio(request: Request, on: Day, lang: LangQuery = DEFAULT_LANG) -> Response:
        """Sum the assessments of many facilities, by payer and basis, per scenario."""
        said = check_lang(lang)
        when = day(on)
        data: Any = await read_json(request, settings.max_batch_bytes)
        rows = data.get("facilities") if type(data) is dict else None
        if isinstance(rows, list) and len(rows) > settings.max_batch_rows:
            raise _BodyTooLarge(settings.max_batch_rows, "facilities")
        req = BudgetRequest.model_validate(data)
        reforms = [r.reform() for r in req.reforms]

        def run() -> str:
            return budget(
                req.facilities,
                on=when,
                reforms=reforms,
                baseline=req.baseline,
                rounding=req.rounding,
                strategy=req.strategy,
                lang=said,
            ).model_dump_json()

        return json_answer(await run_in_threadpool(run), said)

    return api
