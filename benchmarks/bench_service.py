"""The HTTP service against OpenFisca's Web API: requests per second, p50 / p99 latency, batch rows per second.

    python benchmarks/bench_service.py [--duration 5] [--clients 1,16,64] [--workers 2] [--batch-rows 100000]
                                       [--skip-openfisca] [--json]

Starts, on the loopback, ``tuoyu serve`` (FastAPI on uvicorn) and ``openfisca serve`` (Flask on gunicorn, its
default deployment) on the country package of ``openfisca_model.py`` (Xiamen's grants, Hangzhou's 普惠 subsidy,
the national award and its match, figures read from this package's data), each with ``--workers`` worker
processes; sends both the same facility mix (Xiamen and Hangzhou facilities whose places and enrolment change
from request to request) from 1, 16 and 64 concurrent keep-alive clients (an asyncio HTTP/1.1 client in this
process; a server that closes the connection after each answer, as gunicorn's sync workers do, is reconnected);
reports requests per second and p50 / p99 latency (from the request's first byte sent to the answer's last byte
read). Then times ``POST /assess/batch`` on ``--batch-rows`` JSON Lines rows: one request, and two at once.

Before timing, every answer is checked once: tuoyu's equal to ``tr.assess(...).model_dump_json()`` byte for
byte, OpenFisca's amounts equal to tuoyu's. Needs the extras ``server`` and ``bench`` (openfisca-core with its
``web-api``); without OpenFisca the comparison is skipped and said so. Never run as a unit test: timing is not
a correctness property. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_single import HANGZHOU, XIAMEN, check_same_amounts  # the same facilities as the single-call figures

import tuoyu_rules as tr

HERE = Path(__file__).resolve().parent
ON = dt.date(2024, 1, 1)
MONTH = "2024-01"
HOST = "127.0.0.1"

COUNTRY_PACKAGE = "tuoyu_bench_country"
COUNTRY_INIT = """\
import sys
sys.path.insert(0, {here!r})
from openfisca_model import TuoyuBenchSystem as CountryTaxBenefitSystem  # what `openfisca serve -c` loads
"""


def facilities(count: int) -> list[dict[str, Any]]:
    """The facility mix: Xiamen and Hangzhou alternately, places and enrolled changing every row."""
    out = []
    for i in range(count):
        base = XIAMEN if i % 2 == 0 else HANGZHOU
        places = 20 + i % 180
        out.append({**base, "places": places, "enrolled": (i * 7) % (places + 1)})
    return out


# -- servers ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Started:
    name: str
    port: int
    process: subprocess.Popen[bytes]


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server at {url} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {url} did not answer within {seconds} s")


@contextlib.contextmanager
def serve(name: str, command: list[str], ready_path: str, port: int, env: dict[str, str]) -> Iterator[Started]:
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=log, env={**os.environ, **env})
        try:
            wait_ready(f"http://{HOST}:{port}{ready_path}", process)
            yield Started(name, port, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def tuoyu_server(workers: int) -> contextlib.AbstractContextManager[Started]:
    port = free_port()
    command = [sys.executable, "-m", "tuoyu_rules.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--max-batch-bytes", str(2_000_000_000)]
    return serve("tuoyu serve", command, "/healthz", port, {"TUOYU_TOKEN": ""})


def openfisca_server(workers: int, package_dir: Path) -> contextlib.AbstractContextManager[Started]:
    port = free_port()
    exe = shutil.which("openfisca", path=str(Path(sys.executable).parent)) or "openfisca"
    command = [exe, "serve", "--country-package", COUNTRY_PACKAGE, "--port", str(port)]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
    path = os.pathsep.join([str(package_dir), str(HERE), os.environ.get("PYTHONPATH", "")])
    return serve("openfisca serve", command, "/entities", port, {"PYTHONPATH": path})


# -- requests --------------------------------------------------------------------------------------------------


def http_request(path: str, body: bytes, content_type: str = "application/json") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


def tuoyu_requests(mix: list[dict[str, Any]]) -> list[bytes]:
    return [http_request(f"/assess?on={ON.isoformat()}", json.dumps(f).encode()) for f in mix]


def openfisca_body(facility: dict[str, Any]) -> dict[str, Any]:
    """The OpenFisca situation of a facility (``openfisca_model.situation``), asking for every output."""
    import openfisca_model as om

    situation = om.situation(facility, MONTH)
    for name in om.OUTPUTS:
        situation["facilities"]["f"][name] = {MONTH: None}
    return situation


def openfisca_requests(mix: list[dict[str, Any]]) -> list[bytes]:
    return [http_request("/calculate", json.dumps(openfisca_body(f)).encode()) for f in mix]


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 answer: status, body, and whether the server closes the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    close = b"connection: close" in lower or head.startswith(b"HTTP/1.0")
    at = lower.find(b"content-length:")
    if at >= 0:
        end = lower.index(b"\r\n", at)
        body = await reader.readexactly(int(lower[at + 15 : end]))
        return status, body, close
    if b"transfer-encoding: chunked" in lower:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return status, b"".join(parts), close
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
    return status, await reader.read(), True


@dataclass
class Load:
    latencies_ns: list[int] = field(default_factory=list)
    errors: int = 0
    connects: int = 0


async def client(port: int, requests: list[bytes], offset: int, until: float, load: Load, record: bool) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    i = offset
    clock = time.perf_counter_ns
    while time.perf_counter() < until:
        if writer is None or reader is None:
            reader, writer = await asyncio.open_connection(HOST, port)
            load.connects += 1
        request = requests[i % len(requests)]
        i += 1
        t0 = clock()
        writer.write(request)
        status, _, close = await read_answer(reader)
        if record:
            load.latencies_ns.append(clock() - t0)
            load.errors += status != 200
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def run_load(port: int, requests: list[bytes], clients: int, seconds: float, warmup: float) -> dict[str, Any]:
    warm = Load()
    end = time.perf_counter() + warmup
    await asyncio.gather(*(client(port, requests, n * 7, end, warm, False) for n in range(clients)))
    load = Load()
    start = time.perf_counter()
    end = start + seconds
    await asyncio.gather(*(client(port, requests, n * 13, end, load, True) for n in range(clients)))
    elapsed = time.perf_counter() - start
    ordered = sorted(load.latencies_ns)
    n = len(ordered)
    return {
        "clients": clients,
        "requests": n,
        "errors": load.errors,
        "connections": load.connects,
        "rps": n / elapsed,
        "p50_ms": ordered[n // 2] / 1e6 if n else None,
        "p99_ms": ordered[min(n - 1, (n * 99) // 100)] / 1e6 if n else None,
        "mean_ms": statistics.fmean(ordered) / 1e6 if n else None,
    }


# -- checks ---------------------------------------------------------------------------------------------------


def post(port: int, path: str, body: bytes) -> bytes:
    headers = {"Content-Type": "application/json"}
    req = urllib.request.Request(f"http://{HOST}:{port}{path}", data=body, method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=120) as resp:
        data: bytes = resp.read()
        return data


def check_tuoyu(port: int, mix: list[dict[str, Any]]) -> None:
    for f in mix[:20]:
        got = post(port, f"/assess?on={ON.isoformat()}", json.dumps(f).encode())
        want = tr.assess(tr.Facility.model_validate(f), on=ON).model_dump_json().encode()
        if got != want:
            raise SystemExit(f"tuoyu serve answered other bytes than tr.assess for {f}")


def check_openfisca(port: int, mix: list[dict[str, Any]]) -> list[str]:
    problems = []
    for f in mix[:20]:
        answer = json.loads(post(port, "/calculate", json.dumps(openfisca_body(f)).encode()))
        values = {name: float(v[MONTH]) for name, v in answer["facilities"]["f"].items() if MONTH in v}
        problems += check_same_amounts(f, values)
    return problems


# -- batch ----------------------------------------------------------------------------------------------------


def batch_body(rows: int) -> bytes:
    return b"\n".join(json.dumps(f).encode() for f in facilities(rows)) + b"\n"


async def batch_once(port: int, body: bytes) -> tuple[float, int]:
    """Send one batch; read its streamed answer chunk by chunk, counting lines (nothing is kept: an answer line
    is about 17 KB, a 100,000-row answer 1.7 GB)."""
    reader, writer = await asyncio.open_connection(HOST, port, limit=2**20)
    request = http_request(f"/assess/batch?on={ON.isoformat()}", body, "application/x-ndjson")
    t0 = time.perf_counter()
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    if int(head[9:12]) != 200 or b"transfer-encoding: chunked" not in head.lower():
        raise SystemExit(f"batch answered {head[:200]!r}")
    lines = 0
    while True:
        size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            break
        while size:
            part = await reader.read(min(size, 2**20))
            lines += part.count(b"\n")
            size -= len(part)
        await reader.readexactly(2)
    elapsed = time.perf_counter() - t0
    writer.close()
    return elapsed, lines


async def run_batch(port: int, rows: int, at_once: int, repeat: int) -> dict[str, Any]:
    body = batch_body(rows // at_once)
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        results = await asyncio.gather(*(batch_once(port, body) for _ in range(at_once)))
        elapsed = time.perf_counter() - t0
        lines = sum(n for _, n in results)
        if lines != (rows // at_once) * at_once:
            raise SystemExit(f"batch answered {lines} lines for {rows} rows")
        best = elapsed if best is None else min(best, elapsed)
    assert best is not None
    return {
        "rows": (rows // at_once) * at_once,
        "requests_at_once": at_once,
        "seconds": best,
        "rows_per_s": rows / best,
    }


def check_batch(port: int) -> None:
    mix = facilities(50)
    answer = post(port, f"/assess/batch?on={ON.isoformat()}", batch_body(50)).split(b"\n")
    for f, line in zip(mix, answer, strict=False):
        if line != tr.assess(tr.Facility.model_validate(f), on=ON).model_dump_json().encode():
            raise SystemExit(f"the batch answered other bytes than tr.assess for {f}")


# -- main -----------------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    )


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for dist in (
        "tuoyu_rules",
        "fastapi",
        "uvicorn",
        "uvloop",
        "httptools",
        "pydantic",
        "openfisca-core",
        "flask",
        "gunicorn",
    ):
        with contextlib.suppress(PackageNotFoundError):
            found[dist] = version(dist)
    return found


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:  # pragma: no cover - the server extra brings uvloop
        return asyncio.new_event_loop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds timed per concurrency (default 5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per concurrency (default 1)")
    parser.add_argument("--clients", default="1,16,64", help="concurrent clients (default 1,16,64)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes of each server")
    parser.add_argument("--batch-rows", type=int, default=100_000, help="rows of the batch timing (0: skip)")
    parser.add_argument("--skip-openfisca", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.clients.split(",")]
    mix = facilities(400)
    report: dict[str, Any] = {
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": versions(),
        "workers": args.workers,
        "duration_s": args.duration,
    }
    loop = new_loop()
    with tuoyu_server(args.workers) as ours:
        check_tuoyu(ours.port, mix)
        check_batch(ours.port)
        requests = tuoyu_requests(mix)
        health = [f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()]
        report["client ceiling (GET /healthz)"] = loop.run_until_complete(
            run_load(ours.port, health, 16, args.duration / 2, args.warmup)
        )
        report["tuoyu"] = [
            loop.run_until_complete(run_load(ours.port, requests, c, args.duration, args.warmup)) for c in levels
        ]
        if args.batch_rows:
            report["batch"] = [
                loop.run_until_complete(run_batch(ours.port, args.batch_rows, 1, 3)),
                loop.run_until_complete(run_batch(ours.port, args.batch_rows, args.workers, 3)),
            ]
    if args.skip_openfisca:
        report["openfisca"] = {"error": "skipped (--skip-openfisca)"}
    else:
        try:
            import openfisca_model  # noqa: F401
            import openfisca_web_api  # noqa: F401
        except ImportError as exc:
            report["openfisca"] = {"error": f"not installed ({exc}); install the bench extra"}
        else:
            with tempfile.TemporaryDirectory() as tmp:
                package = Path(tmp) / COUNTRY_PACKAGE
                package.mkdir()
                (package / "__init__.py").write_text(COUNTRY_INIT.format(here=str(HERE)), encoding="utf-8")
                with openfisca_server(args.workers, Path(tmp)) as theirs:
                    problems = check_openfisca(theirs.port, mix)
                    report["openfisca"] = {
                        "amounts agree": not problems,
                        "differences": problems[:5],
                        "levels": [
                            loop.run_until_complete(
                                run_load(theirs.port, openfisca_requests(mix), c, args.duration, args.warmup)
                            )
                            for c in levels
                        ],
                    }
    loop.close()
    _print(report, args.json)
    return 0


def _print(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return
    print(f"machine:  {report['machine']}")
    print(f"date:     {report['date']}")
    print(f"versions: {', '.join(f'{k} {v}' for k, v in report['versions'].items())}")
    print(f"workers per server: {report['workers']}; {report['duration_s']} s per level")
    ceiling = report["client ceiling (GET /healthz)"]
    print(f"client ceiling (GET /healthz, 16 clients): {ceiling['rps']:,.0f} requests/s")
    print()
    print(f"{'server':<16} {'clients':>7} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'conns':>7}")
    theirs = report["openfisca"]
    rows = [("tuoyu serve", r) for r in report["tuoyu"]]
    if "levels" in theirs:
        rows += [("openfisca serve", r) for r in theirs["levels"]]
    for name, r in rows:
        print(
            f"{name:<16} {r['clients']:>7} {r['rps']:>11,.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{r['errors']:>6} {r['connections']:>7}"
        )
    if "levels" in theirs:
        print()
        print(
            f"OpenFisca amounts agree with tuoyu_rules: {'yes' if theirs['amounts agree'] else theirs['differences']}"
        )
        for ours, of in zip(report["tuoyu"], theirs["levels"], strict=True):
            ratio = ours["rps"] / of["rps"]
            print(f"{ours['clients']:>3} clients: tuoyu / OpenFisca throughput {ratio:.1f}x")
    else:
        print(f"OpenFisca: {theirs['error']}")
    for b in report.get("batch", ()):
        print(
            f"batch: {b['rows']:,} rows in {b['requests_at_once']} request(s) at once: {b['seconds']:.2f} s, "
            f"{b['rows_per_s']:,.0f} rows/s"
        )


if __name__ == "__main__":
    sys.exit(main())
