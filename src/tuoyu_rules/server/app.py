"""The FastAPI application of ``tuoyu serve``: :func:`create_app`.

uvicorn builds it in each worker process (``uvicorn tuoyu_rules.server.app:create_app --factory``) from the
:class:`~tuoyu_rules.server.settings.Settings` in the environment. Every route is answered by the library's own
functions; every error is a 4xx JSON answer (:mod:`~tuoyu_rules.server.errors`). The common ``POST /assess`` is
answered by the fast path (:mod:`~tuoyu_rules.server.fast`) behind the token check, unless the settings turn it
off.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..core.messages import msg
from . import info, routes
from .caches import Caches
from .errors import error_response, install, own_problem, request_lang
from .fast import FastAssess
from .openapi import Components, document
from .settings import Settings

DESCRIPTION = """\
Chinese employer-childcare policy (用人单位托育服务) as exact, cited rules: the HTTP JSON service of the
`tuoyu_rules` library. `POST /assess` answers exactly what `tr.assess(...).model_dump(mode="json")` gives.

Money is a string of yuan with two decimals (`"50000.00"`). Bad input is a 4xx JSON answer (`ErrorBody`) naming
the field and the rule broken, with the rule's stable code. Texts (reasons, notes, errors) are in the language
asked, `lang=zh` or `lang=en` (the default), as the `Content-Language` header says; every explanation carries its
code and both texts whatever is asked.
"""

OPEN_PATHS = frozenset({"/healthz"})
"""Paths answered without the bearer token."""


class BearerToken:
    """ASGI middleware: every HTTP request but :data:`OPEN_PATHS` needs ``Authorization: Bearer <token>``
    (compared in constant time); otherwise 401 with ``WWW-Authenticate: Bearer``."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass an authorised request on; answer any other with 401."""
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
        if hmac.compare_digest(given, self.expected):
            await self.app(scope, receive, send)
            return
        lang = request_lang(dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))))
        problem = msg("server.token.missing") if not given else msg("server.token.wrong")
        refused = error_response(
            401, "Unauthorized", own_problem("Authorization", problem, lang), lang, {"WWW-Authenticate": "Bearer"}
        )
        await refused(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service's application (``settings``: :meth:`Settings.from_env` by default)."""
    settings = Settings.from_env() if settings is None else settings
    app = FastAPI(
        title="tuoyu_rules",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    components = Components()
    caches = Caches()  # shared by the route and its fast path
    install(app)
    app.include_router(routes.router(settings, caches, components))
    app.include_router(info.router(settings, components))

    def openapi() -> dict[str, Any]:
        return document(app, components, DESCRIPTION)

    app.openapi = openapi  # type: ignore[method-assign]
    if settings.fast_path:  # added first: behind the token check
        app.add_middleware(FastAssess, caches=caches, max_body_bytes=settings.max_body_bytes)
    if settings.token is not None:
        app.add_middleware(BearerToken, token=settings.token)
    return app
