"""The fast path of ``POST /assess`` (``server/fast.py``): the same answers as the route, byte for byte.

Against real servers (``python -m tuoyu_rules.cli serve``, as in ``test_server.py``): one with the fast path (the
default), one with it turned off (``TUOYU_SERVER_FAST_PATH=0``). Every request is sent to both, and to the first
again with a harmless ``rounding=ROUND_HALF_UP`` (the default, which the fast path leaves to the route): the three
answers have the same status, the same headers (but ``date``), in the same order, and the same body. For every
bundled example, a facility in every city, receipts, division codes, both languages, what-if jurisdictions; every
4xx; the token; 16 clients at once. In process, which requests the fast path answers itself and which it hands
to the routes, with the body it read replayed.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from test_server import (  # the real server of test_server.py, its client and checks
    HAS_SERVER,
    MAX_BATCH_BYTES,
    MAX_BODY,
    MAX_ROWS,
    TOKEN,
    WUHAN,
    XIAMEN,
    Answer,
    Server,
    _start,
    assert_error,
    library,
)
from tuoyu_rules.core.errors import InvalidInput
from tuoyu_rules.whatif import city_ids

pytestmark = pytest.mark.skipif(not HAS_SERVER, reason="the extra 'server' (FastAPI, uvicorn) is not installed")

Q = "on=2024-01-01"
LIMITS = (
    "--max-body-bytes",
    f"{MAX_BODY}",
    "--max-batch-rows",
    f"{MAX_ROWS}",
    "--max-batch-bytes",
    f"{MAX_BATCH_BYTES}",
)
OFF = {"TUOYU_SERVER_FAST_PATH": "0"}
HANDED_ON = "&rounding=ROUND_HALF_UP"
"""A query parameter the route takes (the default rounding) and the fast path does not: the route answers."""

RECEIPT = {"program": "xiamen.construction_subsidy", "paid_on": "2023-05-01", "amount": "50000"}


def _examples() -> list[dict[str, Any]]:
    """Every bundled example facility, and every line of every bundled portfolio."""
    found: list[dict[str, Any]] = []
    for item in sorted(resources.files("tuoyu_rules.examples").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".reform.json"):
            continue
        if item.name.endswith(".json"):
            found.append(json.loads(item.read_text(encoding="utf-8")))
        elif item.name.endswith(".jsonl"):
            found += [json.loads(line) for line in item.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found


EXAMPLES = _examples()
CITIES = [
    {"jurisdiction": city, "mode": mode, "self_built": True, "places": 30, "enrolled": 20, "name": "某单位托育中心"}
    for city in city_ids()
    for mode in ("self_run", "third_party")
]
OTHERS = [
    {**XIAMEN, "name": "厦门某单位托育中心 ☃", "received": [RECEIPT]},
    WUHAN,
    {**XIAMEN, "jurisdiction": "350200"},
    {**XIAMEN, "places": 0, "enrolled": 0},
]


@pytest.fixture(scope="module")
def fast() -> Iterator[Server]:
    with _start(*LIMITS, env={"TUOYU_TOKEN": ""}) as started:
        yield started


@pytest.fixture(scope="module")
def slow() -> Iterator[Server]:
    with _start(*LIMITS, env={"TUOYU_TOKEN": "", **OFF}) as started:
        yield started


def shown(answer: Answer) -> tuple[int, list[tuple[str, str]], bytes]:
    """An answer as compared: status, headers in order (but ``date``, the time it was sent), body."""
    return answer.status, [(k.lower(), v) for k, v in answer.headers.items() if k.lower() != "date"], answer.body


class Pair:
    """The two servers, each on one keep-alive connection."""

    def __init__(self, fast: Server, slow: Server) -> None:
        self.fast, self.slow = fast, slow
        self.conns = [http.client.HTTPConnection("127.0.0.1", s.port, timeout=30) for s in (fast, slow)]

    def same(self, path: str, body: Any, headers: dict[str, str] | None = None, again: bool = True) -> Answer:
        """Send to both servers (and, with ``again``, to the fast one with :data:`HANDED_ON`): the same answer."""
        headers = {"Content-Type": "application/json"} if headers is None else headers
        got = self.fast.call("POST", path, body, headers, self.conns[0])
        want = self.slow.call("POST", path, body, headers, self.conns[1])
        assert shown(got) == shown(want), (path, body)
        if again:
            routed = self.fast.call("POST", path + HANDED_ON, body, headers, self.conns[0])
            assert shown(routed) == shown(want), (path, body)
        return got

    def close(self) -> None:
        for conn in self.conns:
            conn.close()


@pytest.fixture
def pair(fast: Server, slow: Server) -> Iterator[Pair]:
    both = Pair(fast, slow)
    yield both
    both.close()


# -- the same answers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["", "&lang=en", "&lang=zh"])
def test_every_example_city_and_case_same_answer(pair: Pair, lang: str) -> None:
    for data in [*EXAMPLES, *CITIES, *OTHERS]:
        answer = pair.same(f"/assess?{Q}{lang}", data)
        assert answer.status == 200, answer.body[:300]
        assert answer.headers["content-language"] == (lang[-2:] or "en")
    said = "zh" if lang.endswith("zh") else "en"
    for data in [EXAMPLES[0], CITIES[0], *OTHERS]:  # and the library's own bytes
        got = pair.fast.call("POST", f"/assess?{Q}{lang}", data, {"Content-Type": "application/json"})
        assert got.body == library(data, lang=said).model_dump_json().encode("utf-8")


@pytest.mark.parametrize(
    "query",
    [
        "lang=zh&on=2024-01-01",
        "on=2025-06-01&jurisdiction=hangzhou",
        "jurisdiction=350200&lang=zh&on=2024-01-01",
        "on=2024-01-01&jurisdiction=420100&lang=en",
        "on=2023-12-31&jurisdiction=chengdu",
    ],
)
def test_options_the_fast_path_takes_same_answer(pair: Pair, query: str) -> None:
    for data in [EXAMPLES[0], *CITIES[::2], *OTHERS]:
        assert pair.same(f"/assess?{query}", data).status == 200


def test_content_types_and_bodies_same_answer(pair: Pair) -> None:
    """JSON with a charset, spaces and other key orders (the fast path); other media types, none (the route)."""
    for content_type in ("application/json", "application/json; charset=utf-8", "Application/JSON", "text/plain"):
        pair.same(f"/assess?{Q}", XIAMEN, {"Content-Type": content_type})
    pair.same(f"/assess?{Q}", XIAMEN, {})
    pair.same(f"/assess?{Q}", json.dumps(XIAMEN, indent=2, sort_keys=True))
    pair.same(f"/assess?{Q}&lang=zh", json.dumps({**XIAMEN, "name": "托育"}, ensure_ascii=False).encode("utf-8"))
    wrapped = {"facility": XIAMEN, "pins": {"xiamen.construction_subsidy": "80000"}}
    assert pair.same(f"/assess?{Q}", wrapped).status == 200  # a request with options: the route


ERRORS: list[tuple[str, Any]] = [
    (Q, "{not json"),
    (Q, '{"places": 1, "places": 2}'),
    (Q, '{"places": NaN}'),
    (Q, b"\xff\xfe"),
    (Q, "[" * 100 + "]" * 100),
    (Q, ""),
    (Q, "null"),
    (Q, [XIAMEN]),
    (Q, {**XIAMEN, "place": 3}),
    (Q, {**XIAMEN, "enrolled": 99}),
    (Q, {**XIAMEN, "jurisdiction": "atlantis"}),
    (Q, {**XIAMEN, "jurisdiction": "fujian"}),
    (Q, {**XIAMEN, "places": -1}),
    (Q, {**XIAMEN, "name": "x" * MAX_BODY}),
    (Q, {"facility": XIAMEN, "pins": {"xiamen.construction_subsidy": "70000"}}),
    (Q, {"facility": XIAMEN, "pin": {}}),
    (f"{Q}&jurisdiction=atlantis", XIAMEN),
    (f"{Q}&jurisdiction=fujian", XIAMEN),
    (f"{Q}&jurisdiction=" + "x" * 65, XIAMEN),
    (f"{Q}&jurisdiction=", XIAMEN),
    ("on=2024-02-30", XIAMEN),
    ("on=2024-1-01", XIAMEN),
    ("on=20240101", XIAMEN),
    ("on=%EF%BC%92024-01-01", XIAMEN),
    ("on=", XIAMEN),
    ("", XIAMEN),
    ("lang=zh", XIAMEN),
    (f"{Q}&lang=fr", XIAMEN),
    (f"{Q}&lang=ZH", XIAMEN),
    (f"{Q}&lang=", XIAMEN),
    (f"{Q}&rounding=ROUND_SOMETIMES", XIAMEN),
]


@pytest.mark.parametrize("lang", ["", "&lang=zh"])
def test_every_error_is_the_routes(pair: Pair, lang: str) -> None:
    """Bad JSON, a bad facility, a bad day, a bad option, a body over its limit: the route's JSON error, in the
    language asked (the same answer from both servers)."""
    for query, body in ERRORS:
        answer = pair.same(f"/assess?{query}{'' if 'lang=' in query else lang}", body, again=False)
        assert 400 <= answer.status < 500, (query, body, answer.body[:300])
        data = json.loads(answer.body)
        assert set(data) == {"status", "error", "message", "problems"}
        assert answer.headers["content-type"] == "application/json"
    said = "zh" if lang else "en"
    assert_error(pair.same(f"/assess?{Q}{lang}", {**XIAMEN, "enrolled": 99}), 422, "enrolled", lang=said)
    assert_error(pair.same(f"/assess?on=2024-02-30{lang}", XIAMEN, again=False), 422, "on", lang=said)
    assert_error(pair.same(f"/assess?{Q}{lang}", "{not json"), 400, "body", lang=said)


def test_repeated_and_other_parameters_go_to_the_route(pair: Pair) -> None:
    for query in (f"{Q}&on=2024-06-01", f"{Q}&lang=zh&lang=en", f"{Q}&jurisdiction=xiamen&jurisdiction=hangzhou"):
        pair.same(f"/assess?{query}", XIAMEN, again=False)
    pair.same(f"/assess?{Q}&rounding=ROUND_HALF_EVEN", XIAMEN, again=False)
    pair.same(f"/assess?{Q}&unknown=1", XIAMEN, again=False)
    pair.same(f"/assess?{Q}&on", XIAMEN, again=False)


def test_bodies_over_the_limit_and_in_chunks(pair: Pair) -> None:
    """A body declared over the limit, one sent in chunks (no length, over the limit or not): the route's answer."""
    big = json.dumps({**XIAMEN, "name": "x" * MAX_BODY}).encode()
    for body in (big, json.dumps(XIAMEN).encode()):
        answers = []
        for server in (pair.fast, pair.slow):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                chunks = iter([body[i : i + 4096] for i in range(0, len(body), 4096)])
                conn.request("POST", f"/assess?{Q}", body=chunks, encode_chunked=True)
                resp = conn.getresponse()
                answers.append(shown(Answer(resp.status, resp.headers, resp.read())))
            finally:
                conn.close()
        assert answers[0] == answers[1]
        assert answers[0][0] == (413 if body is big else 200)


def test_other_paths_and_methods_unchanged(pair: Pair) -> None:
    headers = {"Content-Type": "application/json", "Host": "tuoyu.test"}  # a redirect names the host
    for method, path in (("GET", f"/assess?{Q}"), ("POST", f"/assess/?{Q}"), ("PUT", f"/assess?{Q}")):
        got = pair.fast.call(method, path, XIAMEN, headers)
        want = pair.slow.call(method, path, XIAMEN, headers)
        assert shown(got) == shown(want)
    batch = "\n".join(json.dumps(r) for r in [XIAMEN, WUHAN]) + "\n"
    got = pair.fast.call("POST", f"/assess/batch?{Q}", batch)
    assert got.body == pair.slow.call("POST", f"/assess/batch?{Q}", batch).body


# -- the token -----------------------------------------------------------------------------------------------------


def test_the_token_is_checked_first(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    json_type = {"Content-Type": "application/json"}
    with (
        _start("--token-file", str(token_file), env={"TUOYU_TOKEN": ""}) as guarded,
        _start("--token-file", str(token_file), env={"TUOYU_TOKEN": "", **OFF}) as plain,
    ):
        for headers in (json_type, {**json_type, "Authorization": "Bearer nope"}, {"Authorization": TOKEN}):
            for lang in ("", "&lang=zh"):
                refused = guarded.call("POST", f"/assess?{Q}{lang}", XIAMEN, headers)
                assert_error(refused, 401, "Authorization", lang="zh" if lang else "en")
                assert refused.headers["www-authenticate"] == "Bearer"
                assert shown(refused) == shown(plain.call("POST", f"/assess?{Q}{lang}", XIAMEN, headers))
        allowed = {**json_type, "Authorization": f"Bearer {TOKEN}"}
        for data in (XIAMEN, WUHAN):
            ok = guarded.call("POST", f"/assess?{Q}&lang=zh", data, allowed)
            assert ok.status == 200
            assert ok.body == library(data, lang="zh").model_dump_json().encode()
            assert shown(ok) == shown(plain.call("POST", f"/assess?{Q}&lang=zh", data, allowed))


# -- load ----------------------------------------------------------------------------------------------------------


def test_sixteen_clients_all_answered(pair: Pair) -> None:
    """16 clients at once, 40 requests each on one connection: the fast path's requests and the route's mixed,
    each answered exactly as the server without the fast path answers it."""
    cases: list[tuple[str, Any]] = []
    for i, data in enumerate([*CITIES, *EXAMPLES[:20], *OTHERS]):
        cases.append((f"/assess?{Q}{'&lang=zh' if i % 3 == 0 else ''}", data))
        cases.append((f"/assess?{Q}{HANDED_ON}", data))
    cases += [(f"/assess?{Q}", {**XIAMEN, "enrolled": 99}), ("/assess?on=2024-02-30", XIAMEN)]
    cases += [(f"/assess?{Q}", {"facility": XIAMEN, "pins": {"xiamen.construction_subsidy": "80000"}})]
    want = [shown(pair.slow.call("POST", path, body, {"Content-Type": "application/json"})) for path, body in cases]
    wrong: list[int] = []
    failures: list[BaseException] = []
    answered: list[int] = []

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", pair.fast.port, timeout=60)
        try:
            for k in range(40):
                i = (n * 40 + k * 7) % len(cases)
                path, body = cases[i]
                got = pair.fast.call("POST", path, body, {"Content-Type": "application/json"}, conn)
                answered.append(got.status)
                if shown(got) != want[i]:
                    wrong.append(i)
        except BaseException as exc:
            failures.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(answered) == 640
    assert wrong == []


# -- in process: what the fast path answers itself -------------------------------------------------------------------


def _scope(query: str, headers: list[tuple[bytes, bytes]], path: str = "/assess", method: str = "POST") -> Any:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": query.encode("latin-1"),
        "headers": headers,
    }


def _run(scope: Any, chunks: list[bytes]) -> tuple[bool, bytes, list[Any]]:
    """Call the fast path on a request sent as ``chunks``: whether it handed it on, the body the application
    read, and what was sent."""
    from tuoyu_rules.server.caches import Caches
    from tuoyu_rules.server.fast import FastAssess

    handed: list[bytes] = []
    sent: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        handed.append(body)

    async def main() -> None:
        messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

        async def receive() -> Any:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: Any) -> None:
            sent.append(message)

        await FastAssess(app, Caches(), MAX_BODY)(scope, receive, send)

    asyncio.run(main())
    return bool(handed), (handed or [b""])[0], sent


def _json_headers(body: bytes, content_type: bytes = b"application/json") -> list[tuple[bytes, bytes]]:
    return [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]


def test_in_process_the_fast_path_answers_the_common_request() -> None:
    body = json.dumps(XIAMEN).encode()
    for query in (Q, f"{Q}&lang=zh", f"lang=en&{Q}&jurisdiction=hangzhou"):
        for chunks in ([body], [body[:10], body[10:]]):
            handed, _, sent = _run(_scope(query, _json_headers(body)), chunks)
            assert not handed, query
            assert sent[0]["status"] == 200
            lang = "zh" if "lang=zh" in query else "en"
            moved = "hangzhou" if "hangzhou" in query else None
            assert sent[1]["body"] == library(XIAMEN, lang=lang, jurisdiction=moved).model_dump_json().encode()
            assert dict(sent[0]["headers"])[b"content-language"] == lang.encode()


def test_in_process_everything_else_is_handed_on_with_its_body() -> None:
    body = json.dumps(XIAMEN).encode()
    headers = _json_headers(body)
    cases: list[tuple[Any, list[bytes]]] = [
        (_scope(Q, headers, path="/assess/batch"), [body]),
        (_scope(Q, headers, method="PUT"), [body]),
        (_scope(f"{Q}&rounding=ROUND_HALF_UP", headers), [body]),
        (_scope(f"{Q}&on=2024-01-02", headers), [body]),
        (_scope("on=2024-02-30", headers), [body]),
        (_scope(f"{Q}&lang=fr", headers), [body]),
        (_scope("", headers), [body]),
        (_scope(Q, _json_headers(body, b"text/plain")), [body]),
        (_scope(Q, [(b"content-type", b"application/json")]), [body]),
        (_scope(Q, [*headers, (b"content-length", b"5")]), [body]),
        (_scope(Q, _json_headers(b"x" * (MAX_BODY + 1))), [body]),
        (_scope(Q, _json_headers(body[:10])), [body[:5], body[5:]]),
        (_scope(Q, _json_headers(b"{oops")), [b"{oops"]),
        (_scope(Q, _json_headers(b'{"places": -1}')), [b'{"places": -1}']),
        (_scope(Q, _json_headers(b'{"facility": {}}')), [b'{"facility": {}}']),
    ]
    for scope, chunks in cases:
        handed, read, sent = _run(scope, chunks)
        assert handed, scope
        assert read == b"".join(chunks), scope  # the body read before is replayed, whole and in order
        assert sent == []


def test_the_setting_turns_it_off() -> None:
    from tuoyu_rules.server.app import BearerToken, create_app
    from tuoyu_rules.server.fast import FastAssess
    from tuoyu_rules.server.settings import FAST_PATH_ENV, Settings

    assert Settings.from_env({}).fast_path
    assert Settings.from_env({FAST_PATH_ENV: "1"}).fast_path
    assert not Settings.from_env({FAST_PATH_ENV: "0"}).fast_path
    assert Settings(fast_path=False).to_env()[FAST_PATH_ENV] == "0"
    assert FAST_PATH_ENV not in Settings().to_env()  # a TUOYU_SERVER_FAST_PATH=0 of the environment stays
    with pytest.raises(InvalidInput) as caught:
        Settings.from_env({FAST_PATH_ENV: "off"})
    assert caught.value.field == FAST_PATH_ENV
    layers: list[object] = [m.cls for m in create_app(Settings(token=TOKEN)).user_middleware]
    assert layers == [BearerToken, FastAssess]  # the token is checked first
    assert [m.cls for m in create_app(Settings(fast_path=False)).user_middleware] == []
