"""The other routes: ``GET /jurisdictions``, ``GET /jurisdictions/{id}``, ``GET /allowance``, ``POST /fee``,
``GET /healthz`` and ``GET /version``.

``/allowance`` and ``/fee`` take ``lang=zh|en`` (the language of their reasons, notes and errors, said by the
``Content-Language`` header), as the facility routes do; every route's errors follow ``lang``."""

from __future__ import annotations

import functools
import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from .. import __version__
from ..core.errors import TuoyuError, UnknownJurisdiction
from ..core.messages import DEFAULT_LANG, check_lang
from ..core.registry import get_policy, list_jurisdictions, rules_version
from ..families import Allowance, FeeQuote, childcare_allowance, parent_fee
from .bodies import FeeRequest, read_json
from .errors import ErrorBody, error_json, respond
from .openapi import Components, Health, VersionInfo
from .policies import JurisdictionDetail, JurisdictionSummary, detail, summary
from .routes import LANGUAGES, LangQuery, day, json_answer
from .settings import Settings


@functools.cache
def _jurisdictions() -> bytes:
    """Every registered jurisdiction that loads, as JSON (a broken plugin is left out)."""
    found = []
    for jid in list_jurisdictions():
        try:
            found.append(summary(get_policy(jid)).model_dump(mode="json"))
        except TuoyuError:
            continue
    return json.dumps(found, ensure_ascii=False).encode("utf-8")


@functools.cache
def _version() -> bytes:
    versions = {}
    for jid in list_jurisdictions():
        try:
            versions[jid] = rules_version(jid)
        except TuoyuError:
            continue
    info = VersionInfo(tuoyu_rules=__version__, rules_versions=versions, languages=LANGUAGES)
    return info.model_dump_json().encode("utf-8")


def router(settings: Settings, components: Components) -> APIRouter:
    """The jurisdiction, family, health and version routes."""
    api = APIRouter()
    c = components

    @api.get("/healthz", summary="The service is up", responses={200: c.answer(c.ref(Health), "Up.")})
    async def healthz() -> Response:
        """``{"status": "ok"}``. Never needs the bearer token (for load balancers and process managers)."""
        return Response(b'{"status":"ok"}', media_type="application/json")

    @api.get(
        "/version",
        summary="The package version and the rules versions",
        responses={200: c.answer(c.ref(VersionInfo), "What produces the answers."), **c.errors(401)},
    )
    async def version() -> Response:
        """The package version and, per jurisdiction, the rules version its assessments record."""
        return Response(_version(), media_type="application/json")

    @api.get(
        "/jurisdictions",
        summary="The registered jurisdictions",
        responses={
            200: c.answer({"type": "array", "items": c.ref(JurisdictionSummary)}, "Every registered jurisdiction."),
            **c.errors(401),
        },
    )
    async def jurisdictions() -> Response:
        """Every registered jurisdiction: id, names, level, parent, division code, programme ids."""
        return Response(_jurisdictions(), media_type="application/json")

    @api.get(
        "/jurisdictions/{jurisdiction_id}",
        summary="One jurisdiction in full",
        responses={
            200: c.answer(c.ref(JurisdictionDetail), "Programmes, payers, parameters with dates, citations."),
            404: c.answer(c.ref(ErrorBody), "No jurisdiction has this id."),
            **c.errors(401, 422, 503),
        },
    )
    async def jurisdiction(
        jurisdiction_id: Annotated[str, Path(max_length=64, description="A jurisdiction id (`xiamen`).")],
        lang: LangQuery = DEFAULT_LANG,
    ) -> Response:
        """A jurisdiction with its programmes, payers, parameters (with their dates) and citations (its names are
        in both languages; ``lang`` is the language of an error)."""
        said = check_lang(lang)
        try:
            policy = get_policy(jurisdiction_id)
        except UnknownJurisdiction as exc:  # the path names nothing: 404, the library's words in the language asked
            data = error_json(exc, said)
            data["status"] = 404
            data["problems"] = [{**p, "field": "jurisdiction_id"} for p in data["problems"]]
            return respond(data, said)
        return Response(detail(policy).model_dump_json().encode("utf-8"), media_type="application/json")

    @api.get(
        "/allowance",
        summary="The national childcare allowance (育儿补贴) of a child",
        responses={200: c.answer(c.ref(Allowance), "The allowance and its yearly claims."), **c.errors(401, 422)},
    )
    async def allowance(
        birth: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The birth date, YYYY-MM-DD.")],
        prc_national: Annotated[bool, Query(description="The child has PRC nationality.")] = True,
        applied: Annotated[
            list[str] | None, Query(max_length=100, description="Days the family applied, YYYY-MM-DD (repeatable).")
        ] = None,
        as_of: Annotated[
            str | None,
            Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The `applied` days are all made up to this day."),
        ] = None,
        lang: LangQuery = DEFAULT_LANG,
    ) -> Response:
        """What a child born on ``birth`` is entitled to (``tr.childcare_allowance``)."""
        said = check_lang(lang)
        result = childcare_allowance(
            day(birth, "birth"),
            prc_national=prc_national,
            applied=None if applied is None else [day(d, "applied") for d in applied],
            as_of=None if as_of is None else day(as_of, "as_of"),
            lang=said,
        )
        return json_answer(result.model_dump_json(), said)

    @api.post(
        "/fee",
        summary="What a parent pays a month",
        responses={200: c.answer(c.ref(FeeQuote), "The fee, the net and the cap check."), **c.errors(400, 401, 422)},
        openapi_extra=c.body(FeeRequest, description="The market price and the fee terms."),
    )
    async def fee(request: Request, lang: LangQuery = DEFAULT_LANG) -> Response:
        """The monthly fee, the net after an employer allowance, and a cap check (``tr.parent_fee``)."""
        said = check_lang(lang)
        req = FeeRequest.model_validate(await read_json(request, settings.max_body_bytes))
        quote = parent_fee(
            req.market_monthly,
            share=req.share,
            flat=req.flat,
            allowance_monthly=req.allowance_monthly,
            cap=req.cap,
            rounding=req.rounding,
            cite=tuple(req.cite),
            lang=said,
        )
        return json_answer(quote.model_dump_json(), said)

    return api
