"""The fast path of ``POST /assess``: the common request answered without FastAPI's routing, the same answer.

Most requests the service gets are one facility alone, assessed on a day, perhaps in Chinese or moved to another
city: ``POST /assess?on=YYYY-MM-DD[&lang=zh|en][&jurisdiction=ID]`` with a JSON body. FastAPI and Starlette
cost about 80 µs of the 96 µs such a request took in process (solving the query parameters, routing, the
request and response objects), the library's part about 11 µs. :class:`FastAssess`, a small ASGI layer behind
the bearer-token check and in front of the routes, answers that request itself, with the route's own functions
(:func:`~tuoyu_rules.server.routes.day`, :func:`~tuoyu_rules.core.messages.check_lang`,
:func:`~tuoyu_rules.core.jsonio.loads`, :func:`~tuoyu_rules.server.bodies.is_wrapped`,
:func:`~tuoyu_rules.server.routes.json_answer`) and from the same shared caches
(:class:`~tuoyu_rules.server.caches.Caches`): the same body, byte for byte, the same status and headers.

It answers only what it fully understands (:meth:`FastAssess.plan`):

* ``POST`` to exactly ``/assess`` (no root path);
* a query of ``on`` (``YYYY-MM-DD`` in ASCII digits, a day that exists), and at most ``lang`` (``zh`` or
  ``en``) and ``jurisdiction`` (1 to 64 characters), each given once, nothing else (``rounding`` goes to the
  route);
* a ``Content-Type`` of ``application/json`` and a ``Content-Length`` within the body limit, each given once;
* a body of JSON that is a facility alone (not a request with ``facility``, pins or a reform), which the shared
  cache assesses without an error.

Anything else (another path, method or parameter, a body with no ``Content-Length``, bad JSON, a bad facility, a
bad day, a body larger than it said) is handed to the application unchanged, with the body already read replayed
to it message by message, so the route answers it exactly as it does without this layer. Turned off by the
setting :attr:`~tuoyu_rules.server.settings.Settings.fast_path` (``TUOYU_SERVER_FAST_PATH=0``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from typing import Final, NamedTuple
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import InvalidInput
from ..core.jsonio import loads
from ..core.messages import DEFAULT_LANG, LANGS, Lang, check_lang
from ..core.money import DEFAULT_ROUNDING
from .bodies import is_wrapped
from .caches import Caches
from .openapi import JSON
from .routes import day, json_answer

PATH: Final = "/assess"
PARAMS: Final = frozenset({"on", "lang", "jurisdiction"})
"""The query parameters the fast path understands (any other, ``rounding`` too, goes to the route)."""

MAX_JURISDICTION_CHARS: Final = 64
"""The longest ``jurisdiction`` the route accepts (its query's ``max_length``)."""

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""The route's pattern for ``on`` (``^\\d{4}-\\d{2}-\\d{2}$``), in ASCII digits only."""


class Plan(NamedTuple):
    """A request the fast path answers, if its body is a facility: the route's options, checked."""

    on: dt.date
    jurisdiction: str | None
    lang: Lang
    length: int
    """The body's declared ``Content-Length``."""


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` with ``messages`` (those the fast path has already received) given again first, in order."""
    pending = deque(messages)

    async def again() -> Message:
        if pending:
            return pending.popleft()
        return await receive()

    return again


class FastAssess:
    """ASGI middleware: ``POST /assess`` of a facility alone, answered from ``caches`` as the route answers it;
    every other request handed to ``app`` unchanged (see the module's list)."""

    def __init__(self, app: ASGIApp, caches: Caches, max_body_bytes: int) -> None:
        self.app = app
        self.caches = caches
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the common request; hand any other to the application."""
        plan = self.plan(scope)
        if plan is None:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away: the route says what follows
                break
            size += len(message.get("body", b""))
            if size > plan.length or not message.get("more_body", False):
                break
        answer = self.answer(plan, messages, size)
        if answer is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        await json_answer(answer, plan.lang)(scope, receive, send)

    def plan(self, scope: Scope) -> Plan | None:
        """The options of a request the fast path may answer, or None (the route answers it)."""
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] != "POST"
            or scope.get("root_path")
            or not scope.get("query_string")
        ):
            return None
        content_type = length = None
        for name, value in scope["headers"]:
            if name == b"content-type":
                if content_type is not None:
                    return None
                content_type = value
            elif name == b"content-length":
                if length is not None:
                    return None
                length = value
        if content_type is None or content_type.split(b";", 1)[0].strip().lower() != JSON.encode("ascii"):
            return None
        if length is None or not length.isdigit() or len(length) > 18 or int(length) > self.max_body_bytes:
            return None
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)  # as Starlette reads it
        given = dict(query)
        if len(given) != len(query) or not given.keys() <= PARAMS or "on" not in given:
            return None
        on, lang, jurisdiction = given["on"], given.get("lang", DEFAULT_LANG), given.get("jurisdiction")
        if not _DAY.fullmatch(on) or lang not in LANGS:
            return None
        if jurisdiction is not None and not 0 < len(jurisdiction) <= MAX_JURISDICTION_CHARS:
            return None
        try:
            return Plan(day(on), jurisdiction, check_lang(lang), int(length))
        except InvalidInput:  # a day that does not exist: the route says so
            return None

    def answer(self, plan: Plan, messages: list[Message], size: int) -> bytes | None:
        """The route's answer to a facility alone, as bytes, or None when the body is anything else (a request
        with options, bad JSON, a bad facility: the route answers it)."""
        last = messages[-1]
        if last["type"] != "http.request" or last.get("more_body", False) or size != plan.length:
            return None
        body = b"".join(m.get("body", b"") for m in messages)
        try:
            data = loads(body, field="body")
            if is_wrapped(data):
                return None
            answers = self.caches.answers(plan.on, plan.jurisdiction, DEFAULT_ROUNDING, plan.lang)
            return answers.json_bytes(data)
        except Exception:  # any error is the route's to answer (and to log, if it is a bug)
            return None
