"""The HTTP service (issue 16), tested as a real server: ``python -m tuoyu_rules.cli serve`` on a free port of
127.0.0.1, talked to over HTTP with the standard library's client (no in-process test client).

Every endpoint; the 4xx answers (each names the field and the rule, never a 500, never a traceback); JSON Lines
in and out, streamed; the same bytes as the library; a bounded concurrent load; the bearer token. Skipped when
the extra ``server`` is not installed (except the test of the message that says so). The server runs as
deployed, with the fast path of ``POST /assess`` (``test_server_fast.py`` compares it with the routes alone).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import importlib.util
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.cli import main
from tuoyu_rules.core.messages import Lang

HAS_SERVER = importlib.util.find_spec("fastapi") is not None and importlib.util.find_spec("uvicorn") is not None
needs_server = pytest.mark.skipif(not HAS_SERVER, reason="the extra 'server' (FastAPI, uvicorn) is not installed")

ON = dt.date(2024, 1, 1)
Q = "on=2024-01-01"
XIAMEN: dict[str, Any] = {
    "jurisdiction": "xiamen",
    "mode": "self_run",
    "self_built": True,
    "places": 30,
    "enrolled": 20,
    "designations": [{"program": "cn.caring_employer", "year": 2022}],
}
HANGZHOU: dict[str, Any] = {
    "jurisdiction": "hangzhou",
    "mode": "third_party",
    "embedded": True,
    "places": 40,
    "enrolled": 25,
    "designations": [{"program": "hangzhou.puhui", "year": 2023}],
}
REFORM: dict[str, Any] = {
    "name": "xiamen-operating-up",
    "description": "Xiamen raises its operating subsidy",
    "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]},
}
MAX_BODY = 20_000
MAX_ROWS = 700
MAX_BATCH_BYTES = 400_000
TOKEN = "s3cret-token-for-the-tests-0123456789"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    port: int

    def call(
        self,
        method: str,
        path: str,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
        conn: http.client.HTTPConnection | None = None,
    ) -> Answer:
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        if isinstance(body, dict | list):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Answer(resp.status, resp.headers, resp.read())
        finally:
            if own:
                conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def _start(*extra: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    port = _free_port()
    command = [sys.executable, "-m", "tuoyu_rules.cli", "serve", "--port", str(port), *extra]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env={**os.environ, **(env or {})})
        server = Server(port)
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if server.call("GET", "/healthz").status == 200:
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the server did not start: {log.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.05)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
                proc.kill()
                proc.wait()
        log.seek(0)
        text = log.read().decode(errors="replace")
    assert "Traceback" not in text, text[-3000:]  # no request ever made the server fail inside


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    if not HAS_SERVER:
        pytest.skip("the extra 'server' (FastAPI, uvicorn) is not installed")
    limits = ("--max-body-bytes", str(MAX_BODY), "--max-batch-rows", str(MAX_ROWS))
    with _start(*limits, "--max-batch-bytes", str(MAX_BATCH_BYTES), env={"TUOYU_TOKEN": ""}) as started:
        yield started


def library(data: dict[str, Any], **options: Any) -> tr.Assessment:
    return tr.assess(tr.Facility.model_validate(data), on=ON, **options)


LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
"""An English word (a field name or an id may stand in a Chinese text; a sentence may not)."""


def assert_error(answer: Answer, status: int, field: str, words: str = "", lang: str = "en") -> dict[str, Any]:
    """A 4xx answer naming ``field`` (and saying ``words``), in the service's error shape, in ``lang`` (its
    ``Content-Language``), each problem with its code, with no traceback."""
    assert answer.status == status, answer.body[:500]
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["content-language"] == lang
    data = answer.json()
    assert set(data) == {"status", "error", "message", "problems"}
    assert data["status"] == status
    fields = [p["field"] for p in data["problems"]]
    assert field in fields, data
    assert all(set(p) == {"field", "problem", "code"} and "." in p["code"] for p in data["problems"]), data
    assert words.lower() in data["message"].lower(), data
    assert b"Traceback" not in answer.body
    assert b'File "' not in answer.body
    return dict(data)


# -- the extra ------------------------------------------------------------------------------------------------


def test_without_the_extra_serve_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a))
    err = io.StringIO()
    assert main(["serve"], stdout=io.StringIO(), stderr=err) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert "pip install 'tuoyu_rules[server]'" in lines[0]


# -- health, version, discovery ---------------------------------------------------------------------------------


@needs_server
def test_healthz_and_version(server: Server) -> None:
    assert server.call("GET", "/healthz").json() == {"status": "ok"}
    version = server.call("GET", "/version").json()
    assert version["tuoyu_rules"] == tr.__version__
    assert version["rules_versions"]["xiamen"] == library(XIAMEN).rules_version
    assert version["languages"] == ["zh", "en"]


@needs_server
def test_jurisdictions(server: Server) -> None:
    listed = server.call("GET", "/jurisdictions").json()
    assert [j["id"] for j in listed] == list(tr.list_jurisdictions())
    xiamen = next(j for j in listed if j["id"] == "xiamen")
    assert xiamen["division_code"] == "350200"
    assert xiamen["programs"] == [p.id for p in tr.get_policy("xiamen").programs]

    detail = server.call("GET", "/jurisdictions/xiamen").json()
    assert detail["parent"] == "fujian"
    params = {p["name"]: p for p in detail["parameters"]}
    construction = params["xiamen.construction_subsidy.amount"]["values"][0]
    assert construction["value"]["low"] == "50000.00"
    assert construction["cites"]
    assert {c["id"] for c in detail["citations"]} >= set(construction["cites"])
    programme = next(p for p in detail["program_details"] if p["id"] == "xiamen.construction_subsidy")
    assert programme["payer"] == "xiamen.union"
    assert programme["citations"][0]["quote"]
    policy = tr.get_policy("xiamen")  # every text of the data in both languages, whatever lang asks
    for lang in ("", "?lang=zh", "?lang=en"):
        assert server.call("GET", f"/jurisdictions/xiamen{lang}").json() == detail
    assert detail["limitations"] == list(policy.limitations)
    assert detail["limitations_zh"] == list(policy.limitations_zh)
    assert len(detail["limitations_zh"]) == len(detail["limitations"])
    assert len(detail["references_zh"]) == len(detail["references"])
    operating = next(p for p in detail["program_details"] if p["id"] == "xiamen.operating_subsidy")
    assert operating["assumptions_zh"] == list(policy.program("xiamen.operating_subsidy").assumptions_zh)
    assert len(operating["assumptions_zh"]) == len(operating["assumptions"])
    assert params["xiamen.operating_subsidy.per_class"]["description_zh"]
    per_class = next(c for c in detail["citations"] if c["id"] == "xiamen.per_class")
    assert per_class["summary"]
    assert per_class["summary_zh"].startswith("验收后，运营补助按班每年发放")
    cn = server.call("GET", "/jurisdictions/cn").json()
    dated = [v for p in cn["parameters"] for v in p["values"] if v["start"] or v["batch"]]
    assert dated  # parameters carry their dates (or batch years)
    assert all(bool(v["note"]) == bool(v["note_zh"]) for p in cn["parameters"] for v in p["values"])

    assert_error(server.call("GET", "/jurisdictions/atlantis"), 404, "jurisdiction_id", "unknown jurisdiction")


# -- /assess -----------------------------------------------------------------------------------------------------


@needs_server
@pytest.mark.parametrize("data", [XIAMEN, HANGZHOU], ids=["xiamen", "hangzhou"])
def test_assess_answers_the_librarys_bytes(server: Server, data: dict[str, Any]) -> None:
    answer = server.call("POST", f"/assess?{Q}", data)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["content-language"] == "en"
    want = library(data)
    assert answer.body == want.model_dump_json().encode("utf-8")
    assert answer.json() == want.model_dump(mode="json")
    again = server.call("POST", f"/assess?{Q}", data)  # the second answer comes from the shared cache
    assert again.body == answer.body


@needs_server
def test_assess_options_what_if_pins_reform_rounding(server: Server) -> None:
    moved = server.call("POST", f"/assess?{Q}&jurisdiction=hangzhou", XIAMEN)
    assert moved.body == library(XIAMEN, jurisdiction="hangzhou").model_dump_json().encode()

    body = {"facility": XIAMEN, "pins": {"xiamen.construction_subsidy": "80000"}, "reform": REFORM}
    wrapped = server.call("POST", f"/assess?{Q}", body)
    want = library(
        XIAMEN, pins={"xiamen.construction_subsidy": "80000"}, reform=tr.Reform.from_dict(REFORM)
    ).model_dump_json()
    assert wrapped.status == 200
    assert wrapped.body == want.encode()

    half_even = server.call("POST", f"/assess?{Q}&rounding=ROUND_HALF_EVEN", XIAMEN)
    assert half_even.body == library(XIAMEN, rounding="ROUND_HALF_EVEN").model_dump_json().encode()

    bad = assert_error(server.call("POST", f"/assess?{Q}&lang=fr", XIAMEN), 422, "lang", "zh, en")
    assert bad["problems"][0]["code"].startswith("error.")


def dumped(assessment: tr.Assessment) -> bytes:
    """``assessment.model_dump(mode="json")`` as compact JSON bytes (UTF-8, Chinese as it is)."""
    return json.dumps(assessment.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


WUHAN: dict[str, Any] = {**XIAMEN, "jurisdiction": "420100", "designations": []}
"""A division code with no layer of its own: its assessment has a note (in the language asked)."""


@needs_server
@pytest.mark.parametrize("data", [XIAMEN, HANGZHOU, WUHAN], ids=["xiamen", "hangzhou", "wuhan"])
def test_assess_in_chinese_answers_the_librarys_chinese_bytes(server: Server, data: dict[str, Any]) -> None:
    """``lang=zh``: the reasons in Chinese, exactly ``tr.assess(..., lang="zh")``; ``Content-Language: zh``."""
    for _ in range(2):  # the second answer comes from the shared cache of Chinese answers
        answer = server.call("POST", f"/assess?{Q}&lang=zh", data)
        assert answer.status == 200
        assert answer.headers["content-language"] == "zh"
        want = library(data, lang="zh")
        assert answer.body == want.model_dump_json().encode("utf-8")
        assert answer.body == dumped(want)  # the bytes of tr.assess(..., lang="zh").model_dump(mode="json")
        assert answer.json() == want.model_dump(mode="json")
    assert all(not LATIN_WORD.search(note) for note in answer.json()["notes"])  # ids are digits here
    english = server.call("POST", f"/assess?{Q}&lang=en", data)
    assert english.headers["content-language"] == "en"
    assert english.body == library(data).model_dump_json().encode("utf-8")  # the caches never mix the languages
    zh, en = answer.json(), english.json()
    codes = [[x["code"] for x in e["explanation"]] for e in zh["entitlements"]]
    assert codes == [[x["code"] for x in e["explanation"]] for e in en["entitlements"]]
    assert [e["reasons"] for e in zh["entitlements"]] == [
        [x["zh"] for x in e["explanation"]] for e in zh["entitlements"]
    ]
    wrapped = {"facility": data, "pins": {}, "reform": REFORM}
    answer = server.call("POST", f"/assess?{Q}&lang=zh", wrapped)
    assert answer.body == library(data, reform=tr.Reform.from_dict(REFORM), lang="zh").model_dump_json().encode()


@needs_server
def test_errors_follow_lang(server: Server) -> None:
    """An error's texts are in the language asked, its codes the same in both; a bad ``lang`` is answered in
    English."""
    call = server.call
    bad = {**XIAMEN, "enrolled": 99}
    en = assert_error(call("POST", f"/assess?{Q}", bad), 422, "enrolled", "places")
    zh = assert_error(call("POST", f"/assess?{Q}&lang=zh", bad), 422, "enrolled", "托位数", lang="zh")
    assert [p["code"] for p in zh["problems"]] == [p["code"] for p in en["problems"]]
    assert not LATIN_WORD.search(zh["problems"][0]["problem"]), zh
    assert zh["message"] != en["message"]
    assert_error(call("POST", f"/assess?{Q}&lang=zh", "{not json"), 400, "body", lang="zh")
    assert_error(call("POST", "/assess?on=2024-02-30&lang=zh", XIAMEN), 422, "on", lang="zh")
    missing = assert_error(call("POST", "/assess?lang=zh", XIAMEN), 422, "on", "必填", lang="zh")
    assert missing["problems"][0]["code"] == "error.input.missing"
    big = {**XIAMEN, "name": "x" * MAX_BODY}
    too_big = assert_error(call("POST", f"/assess?{Q}&lang=zh", big), 413, "body", "20,000字节", lang="zh")
    assert too_big["problems"][0]["code"] == "server.body.too_large"
    assert_error(call("GET", "/nowhere?lang=zh"), 404, "path", "没有这个路径", lang="zh")
    assert_error(call("GET", f"/assess?{Q}&lang=zh"), 405, "path", lang="zh")
    unknown = assert_error(
        call("GET", "/jurisdictions/atlantis?lang=zh"), 404, "jurisdiction_id", "atlantis", lang="zh"
    )
    assert unknown["problems"][0]["code"] == "error.unknown.jurisdiction"
    for path in ("/assess/batch", "/compare", "/budget", "/fee"):
        assert_error(call("POST", f"{path}?{Q}&lang=english", "{}"), 422, "lang", "zh, en")
    assert_error(call("GET", "/allowance?birth=2024-05-01&lang=ZH"), 422, "lang")


@needs_server
def test_assess_bad_input_is_a_4xx_naming_the_field(server: Server) -> None:
    call = server.call
    assert_error(call("POST", f"/assess?{Q}", "{not json"), 400, "body", "invalid JSON")
    assert_error(call("POST", f"/assess?{Q}", '{"places": 1, "places": 2}'), 400, "body", "appears twice")
    assert_error(call("POST", f"/assess?{Q}", '{"places": NaN}'), 400, "body", "NaN")
    assert_error(call("POST", f"/assess?{Q}", b"\xff\xfe"), 400, "body", "UTF-8")
    assert_error(call("POST", f"/assess?{Q}", "[" * 100 + "]" * 100), 400, "body", "nested")
    assert_error(call("POST", f"/assess?{Q}", {**XIAMEN, "place": 3}), 422, "place", "extra")
    assert_error(call("POST", f"/assess?{Q}", {**XIAMEN, "enrolled": 99}), 422, "enrolled", "places")
    assert_error(call("POST", f"/assess?{Q}", [XIAMEN]), 422, "body")
    assert_error(call("POST", f"/assess?{Q}", {**XIAMEN, "jurisdiction": "atlantis"}), 422, "jurisdiction")
    assert_error(call("POST", f"/assess?{Q}", {**XIAMEN, "jurisdiction": "fujian"}), 422, "jurisdiction")
    assert_error(call("POST", f"/assess?{Q}&jurisdiction=atlantis", XIAMEN), 422, "jurisdiction")
    assert_error(call("POST", "/assess", XIAMEN), 422, "on", "required")
    assert_error(call("POST", "/assess?on=2024-02-30", XIAMEN), 422, "on", "YYYY-MM-DD")
    assert_error(call("POST", "/assess?on=1700000000", XIAMEN), 422, "on")
    assert_error(call("POST", f"/assess?{Q}&rounding=ROUND_SOMETIMES", XIAMEN), 422, "rounding")
    pins = {"facility": XIAMEN, "pins": {"xiamen.construction_subsidy": "70000"}}
    assert_error(call("POST", f"/assess?{Q}", pins), 422, "pins[xiamen.construction_subsidy]")
    three_decimals = {"facility": XIAMEN, "pins": {"xiamen.construction_subsidy": 80000.001}}
    assert_error(call("POST", f"/assess?{Q}", three_decimals), 422, "pins[xiamen.construction_subsidy]", "decimals")
    assert_error(call("POST", f"/assess?{Q}", {"facility": XIAMEN, "pin": {}}), 422, "pin", "extra")
    unknown = {"facility": XIAMEN, "reform": {**REFORM, "parameters": {"xiamen.nothing": []}}}
    assert_error(call("POST", f"/assess?{Q}", unknown), 422, "parameter in reform", "xiamen.nothing")


@needs_server
def test_nothing_in_a_request_reads_a_file(server: Server, tmp_path: Path) -> None:
    """A reform is its data only: a path (or a file URL) where a reform goes is refused, and never opened."""
    secret = tmp_path / "reform.json"
    secret.write_text(json.dumps(REFORM), encoding="utf-8")
    for where in (str(secret), secret.as_uri()):
        answer = server.call("POST", f"/assess?{Q}", {"facility": XIAMEN, "reform": where})
        assert_error(answer, 422, "reform")
    answer = server.call("POST", f"/assess?{Q}", {**XIAMEN, "jurisdiction": str(secret)})
    assert_error(answer, 422, "jurisdiction")


@needs_server
def test_bodies_are_size_limited(server: Server) -> None:
    big = {**XIAMEN, "name": "x" * MAX_BODY}
    too_big = assert_error(server.call("POST", f"/assess?{Q}", big), 413, "body", f"{MAX_BODY:,} bytes")
    assert too_big["error"] == "BodyTooLarge"
    # a body sent in chunks, with no Content-Length: cut off at the limit too
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        chunks = iter([json.dumps(big).encode()[i : i + 4096] for i in range(0, MAX_BODY + 5000, 4096)])
        conn.request("POST", f"/assess?{Q}", body=chunks, encode_chunked=True)
        resp = conn.getresponse()
        assert_error(Answer(resp.status, resp.headers, resp.read()), 413, "body")
    finally:
        conn.close()


@needs_server
def test_unknown_path_and_method(server: Server) -> None:
    assert_error(server.call("GET", "/nowhere"), 404, "path")
    assert_error(server.call("GET", f"/assess?{Q}"), 405, "path")


# -- /assess/batch -----------------------------------------------------------------------------------------------


def _rows(n: int) -> list[dict[str, Any]]:
    return [
        {**(XIAMEN if i % 2 else HANGZHOU), "places": 40 + i % 9, "enrolled": i % 30, "id": f"f{i}"} for i in range(n)
    ]


@needs_server
def test_batch_one_line_out_per_line_in_bad_lines_answered(server: Server) -> None:
    rows = _rows(600)  # many streamed chunks
    lines = [json.dumps(r) for r in rows]
    lines[10] = '{"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 9}'
    lines[11] = "{broken"
    lines[12] = ""
    lines[13] = '{"places": 1, "places": 1}'
    body = "\n".join(lines[:300]) + "\r\n" + "\n".join(lines[300:])  # a CRLF line end, and no final newline
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("POST", f"/assess/batch?{Q}", body=body.encode())
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.headers["content-type"] == "application/x-ndjson"
        assert resp.headers["transfer-encoding"] == "chunked"  # streamed, not sent whole
        out = [resp.readline() for _ in range(len(lines))]
        assert resp.read() == b""
    finally:
        conn.close()
    assert all(line.endswith(b"\n") for line in out)
    errors = {i: json.loads(out[i]) for i in (10, 11, 12, 13)}
    assert errors[10]["line"] == 11
    assert errors[10]["status"] == 422
    assert "enrolled" in errors[10]["message"]
    assert errors[11]["line"] == 12
    assert errors[11]["status"] == 400
    assert errors[12]["line"] == 13
    assert "empty line" in errors[12]["message"]
    assert errors[13]["line"] == 14
    assert "twice" in errors[13]["message"]
    for i, row in enumerate(rows):
        if i not in errors:
            assert out[i] == library(row).model_dump_json().encode() + b"\n", i


@needs_server
def test_batch_is_bounded(server: Server) -> None:
    assert server.call("POST", f"/assess/batch?{Q}", b"").body == b""
    too_many = "\n".join(json.dumps(XIAMEN) for _ in range(MAX_ROWS + 1))
    assert_error(server.call("POST", f"/assess/batch?{Q}", too_many), 413, "body", f"more than {MAX_ROWS} rows")
    too_big = "\n".join([json.dumps({**XIAMEN, "name": "y" * 1000})] * 390)
    assert len(too_big) > MAX_BATCH_BYTES
    assert_error(server.call("POST", f"/assess/batch?{Q}", too_big), 413, "body", "bytes")
    assert_error(server.call("POST", "/assess/batch?on=someday", json.dumps(XIAMEN)), 422, "on")


@needs_server
def test_batch_in_chinese(server: Server) -> None:
    """``lang=zh`` on a batch: each line the library's Chinese answer, each error line in Chinese."""
    rows = _rows(40)
    rows[7] = rows[27] = {**WUHAN, "id": "wuhan"}  # notes in Chinese, the second from the cache
    lines = [json.dumps(r) for r in rows]
    lines[3] = ""
    lines[4] = '{"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 9}'
    answer = server.call("POST", f"/assess/batch?{Q}&lang=zh", "\n".join(lines))
    assert answer.status == 200
    assert answer.headers["content-language"] == "zh"
    out = answer.body.splitlines()
    assert len(out) == len(lines)
    empty, over = json.loads(out[3]), json.loads(out[4])
    assert (empty["line"], empty["problems"][0]["code"]) == (4, "server.batch.empty_line")
    assert "空行" in empty["message"]
    assert over["line"] == 5
    assert over["problems"][0]["code"] == "error.limit.enrolled_places"
    assert "托位数" in over["message"]
    for i, row in enumerate(rows):
        if i not in (3, 4):
            assert out[i] == library(row, lang="zh").model_dump_json().encode(), i
            assert out[i] == dumped(library(row, lang="zh")), i  # tr.assess(..., lang="zh").model_dump(mode="json")
    assert json.loads(out[27])["notes"] == list(library(WUHAN, lang="zh").notes) != []


@needs_server
def test_the_other_routes_in_chinese(server: Server) -> None:
    """``/compare``, ``/budget``, ``/allowance`` and ``/fee`` pass ``lang`` to the library and say which."""
    facility = tr.Facility.model_validate(XIAMEN)
    compared = server.call("POST", f"/compare?{Q}&lang=zh", {"facility": XIAMEN, "cities": ["hangzhou", "xiamen"]})
    assert compared.headers["content-language"] == "zh"
    assert compared.json() == tr.compare(facility, on=ON, cities=["hangzhou", "xiamen"], lang="zh").to_json_data()
    rows = _rows(6)
    budgeted = server.call("POST", f"/budget?{Q}&lang=zh", {"facilities": rows})
    assert budgeted.headers["content-language"] == "zh"
    want = tr.budget([tr.Facility.model_validate(r) for r in rows], on=ON, lang="zh")
    assert budgeted.json() == want.model_dump(mode="json")
    allowance = server.call("GET", "/allowance?birth=2024-05-01&lang=zh")
    assert allowance.headers["content-language"] == "zh"
    assert allowance.json() == tr.childcare_allowance(dt.date(2024, 5, 1), lang="zh").model_dump(mode="json")
    fee = server.call("POST", "/fee?lang=zh", {"market_monthly": "1000", "share": "0.85", "allowance_monthly": 200})
    assert fee.headers["content-language"] == "zh"
    want_fee = tr.parent_fee("1000", share="0.85", allowance_monthly=200, lang="zh")
    assert fee.json() == want_fee.model_dump(mode="json")
    assert fee.json() != server.call("POST", "/fee", {"market_monthly": "1000", "share": "0.85"}).json()


# -- /compare, /budget, /allowance, /fee -----------------------------------------------------------------------


@needs_server
def test_compare(server: Server) -> None:
    answer = server.call("POST", f"/compare?{Q}", XIAMEN)
    assert answer.status == 200
    assert answer.json() == tr.compare(tr.Facility.model_validate(XIAMEN), on=ON).to_json_data()
    some = server.call("POST", f"/compare?{Q}", {"facility": XIAMEN, "cities": ["hangzhou", "weifang"]}).json()
    assert sorted(some) == ["hangzhou", "weifang"]
    assert_error(server.call("POST", f"/compare?{Q}", {"facility": XIAMEN, "cities": ["fujian"]}), 422, "jurisdiction")


@needs_server
def test_budget(server: Server) -> None:
    rows = _rows(20)
    answer = server.call("POST", f"/budget?{Q}", {"facilities": rows, "reforms": [REFORM]})
    assert answer.status == 200, answer.body[:300]
    facilities = [tr.Facility.model_validate(r) for r in rows]
    want = tr.budget(facilities, on=ON, reforms=[tr.Reform.from_dict(REFORM)])
    assert answer.json() == want.model_dump(mode="json")
    bad = server.call("POST", f"/budget?{Q}", {"facilities": [*rows[:3], {**XIAMEN, "places": -1}]})
    assert_error(bad, 422, "facilities.3.places")
    assert_error(server.call("POST", f"/budget?{Q}", {"facilities": [XIAMEN] * (MAX_ROWS + 1)}), 413, "facilities")


@needs_server
def test_allowance(server: Server) -> None:
    answer = server.call("GET", "/allowance?birth=2024-05-01")
    assert answer.json() == tr.childcare_allowance(dt.date(2024, 5, 1)).model_dump(mode="json")
    applied = server.call("GET", "/allowance?birth=2024-05-01&applied=2026-03-01&as_of=2026-06-01").json()
    want = tr.childcare_allowance(dt.date(2024, 5, 1), applied=[dt.date(2026, 3, 1)], as_of=dt.date(2026, 6, 1))
    assert applied == want.model_dump(mode="json")
    assert_error(server.call("GET", "/allowance?birth=2024-02-31"), 422, "birth")
    assert_error(server.call("GET", "/allowance"), 422, "birth", "required")


@needs_server
def test_fee(server: Server) -> None:
    answer = server.call("POST", "/fee", {"market_monthly": "1000", "share": "0.85", "allowance_monthly": 200})
    assert answer.json() == tr.parent_fee("1000", share="0.85", allowance_monthly=200).model_dump(mode="json")
    exact = server.call("POST", "/fee", '{"market_monthly": 1000.50, "share": 0.855}').json()  # exact, never a float
    assert exact == tr.parent_fee(Decimal("1000.50"), share=Decimal("0.855")).model_dump(mode="json")
    assert_error(
        server.call("POST", "/fee", {"market_monthly": "1000", "share": "0.5", "flat": "800"}), 422, "share, flat"
    )
    assert_error(server.call("POST", "/fee", {"market_monthly": "-1"}), 422, "market_monthly")
    assert_error(server.call("POST", "/fee", '{"market_monthly": 1000.555}'), 422, "market_monthly", "decimals")
    assert_error(server.call("POST", "/fee", {"market_monthly": True}), 422, "market_monthly")
    assert_error(server.call("POST", "/fee", {"share": "0.5"}), 422, "market_monthly", "required")


# -- the documents --------------------------------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@needs_server
def test_openapi_documents_every_endpoint_and_model(server: Server) -> None:
    doc = server.call("GET", "/openapi.json").json()
    assert set(doc["paths"]) == {
        "/assess",
        "/assess/batch",
        "/compare",
        "/budget",
        "/allowance",
        "/fee",
        "/jurisdictions",
        "/jurisdictions/{jurisdiction_id}",
        "/healthz",
        "/version",
    }
    schemas = doc["components"]["schemas"]
    for ref in set(_refs(doc)):  # every reference resolves
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref
    for name in ("Facility", "AssessRequest", "Assessment", "Entitlement", "Budget", "FeeQuote", "ErrorBody"):
        assert schemas[name].get("description"), name  # every model says what it is
    places = schemas["Facility"]["properties"]["places"]  # both languages (tests/test_openapi_i18n.py)
    assert (places["x-label-zh"], places["description"]) == ("托位数", "托位数 — 托位: licensed capacity.")
    assess = doc["paths"]["/assess"]["post"]
    assert {r["$ref"] for r in assess["requestBody"]["content"]["application/json"]["schema"]["oneOf"]} == {
        "#/components/schemas/Facility",
        "#/components/schemas/AssessRequest",
    }
    assert {"200", "400", "413", "422"} <= set(assess["responses"])
    assert "HTTPValidationError" not in schemas  # every 422 is the service's own ErrorBody
    for path in ("/assess", "/assess/batch", "/compare", "/budget", "/fee"):
        params = {p["name"]: p for p in doc["paths"][path]["post"]["parameters"]}
        assert params["lang"]["schema"]["enum"] == ["zh", "en"], path
    allowance = {p["name"]: p for p in doc["paths"]["/allowance"]["get"]["parameters"]}
    assert allowance["lang"]["schema"]["default"] == "en"
    page = server.call("GET", "/docs")
    assert page.status == 200
    assert b"swagger" in page.body.lower()


@needs_server
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_answers_in_bytes_are_the_caches_and_the_librarys(lang: Lang) -> None:
    """The cache's answers as UTF-8 bytes (kept per stored result) are exactly the cache's JSON text encoded and
    ``tr.assess(...).model_dump_json()``'s: names in Chinese, receipts, counts handed through, a division code;
    from its bytes kept, and after it has forgotten them (at most ``max_tails``)."""
    from tuoyu_rules.server.caches import Answers, Caches

    receipt = {"program": "xiamen.construction_subsidy", "paid_on": "2023-05-01", "amount": "50000"}
    rows = [*_rows(60), {**XIAMEN, "name": "厦门某单位托育中心 ☃", "received": [receipt]}, WUHAN, WUHAN]
    answers = Caches().answers(ON, None, "ROUND_HALF_UP", lang)
    small = Answers(tr.RuleCache(on=ON, lang=lang), max_tails=2)
    for _ in range(2):
        for row in rows:
            line = json.dumps(row, ensure_ascii=False).encode()
            want = library(row, lang=lang).model_dump_json().encode("utf-8")
            assert answers.json_bytes(line) == want == answers.cache.assess_json(line).encode("utf-8")
            assert small.json_bytes(row) == want


# -- load --------------------------------------------------------------------------------------------------------


@needs_server
def test_concurrent_load_all_answered(server: Server) -> None:
    """400 requests from 16 threads (keep-alive connections), every one answered 200 with the library's bytes."""
    rows = _rows(40)
    want = [library(r).model_dump_json().encode() for r in rows]
    statuses: list[int] = []
    wrong: list[int] = []
    failures: list[BaseException] = []

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            for k in range(25):
                i = (n * 25 + k) % len(rows)
                answer = server.call("POST", f"/assess?{Q}", rows[i], conn=conn)
                statuses.append(answer.status)
                if answer.body != want[i]:
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
    assert len(statuses) == 400
    assert set(statuses) == {200}
    assert wrong == []


# -- the bearer token -------------------------------------------------------------------------------------------


@needs_server
def test_bearer_token(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    with _start("--token-file", str(token_file), env={"TUOYU_TOKEN": ""}) as guarded:
        assert guarded.call("GET", "/healthz").status == 200  # for load balancers: open
        missing = guarded.call("POST", f"/assess?{Q}", XIAMEN)
        assert_error(missing, 401, "Authorization", "missing")
        assert missing.headers["www-authenticate"] == "Bearer"
        assert_error(
            guarded.call("GET", "/jurisdictions", headers={"Authorization": "Bearer nope"}), 401, "Authorization"
        )
        assert_error(guarded.call("GET", "/openapi.json"), 401, "Authorization")
        refused = assert_error(guarded.call("POST", f"/assess?{Q}&lang=zh", XIAMEN), 401, "Authorization", lang="zh")
        assert refused["problems"][0]["code"] == "server.token.missing"
        ok = guarded.call("POST", f"/assess?{Q}", XIAMEN, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status == 200
        assert ok.body == library(XIAMEN).model_dump_json().encode()
