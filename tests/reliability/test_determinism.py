"""Same input, same bytes: across calls, and across processes with different hash seeds.

Set and dict iteration order of strings changes with ``PYTHONHASHSEED``; an assessment that depended on it
(a set of programmes turned into a tuple, say) would differ between two government systems running the same
facility. The subprocesses below print ``model_dump_json()`` of many assessments; the bytes must agree.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import pytest

import tuoyu_rules as tr

SCRIPT = textwrap.dedent(
    """
    import datetime as dt
    import tuoyu_rules as tr

    print("ids", tr.list_jurisdictions())
    cities = []
    for jid in tr.list_jurisdictions():
        try:
            policy = tr.get_policy(jid)
        except tr.TuoyuError as exc:
            print("load", jid, type(exc).__name__, exc)
            continue
        print("policy", jid, policy.level, policy.parent, [p.id for p in policy.programs])
        if policy.level in ("city", "district"):
            cities.append(jid)

    designations = {
        "cn.caring_employer": 2022,
        "weifang.caring_employer": 2023,
        "hangzhou.puhui": 2023,
        "hangzhou.demonstration": 2023,
        "qianan.caring_unit": 2023,
        "chengdu.demonstration_site": 2023,
    }
    facilities = []
    for city in cities:
        held = [
            {"program": p, "year": y}
            for p, y in designations.items()
            if p.split(".")[0] in (city, "cn")
        ]
        facilities.append({"jurisdiction": city, "mode": "self_run", "self_built": True, "places": 40,
                           "enrolled": 30, "designations": held})
        facilities.append({"jurisdiction": city, "mode": "purchased_places", "places": 12, "enrolled": 0,
                           "classes": [6], "full_day": True, "first_intake": 2})
    for data in facilities:
        try:
            facility = tr.Facility.model_validate(data)
        except Exception as exc:
            print("invalid", data["jurisdiction"], type(exc).__name__, exc)
            continue
        for on in (dt.date(2019, 1, 1), dt.date(2023, 7, 1), dt.date(2025, 12, 31)):
            for target in (None, *cities):
                try:
                    a = tr.assess(facility, jurisdiction=target, on=on)
                except tr.TuoyuError as exc:
                    print("error", target, type(exc).__name__, exc)
                    continue
                print(a.model_dump_json())
                print([t.model_dump_json() for t in a.totals()])
    """
)


def run(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return {seed: run(seed) for seed in ("0", "1", "12345")}


def test_byte_identical_json_across_hash_seeds(outputs: dict[str, bytes]) -> None:
    first = outputs["0"]
    assert first.count(b"\n") > 20, first[:2000]
    for seed, out in outputs.items():
        if out != first:
            a, b = first.splitlines(), out.splitlines()
            diff = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
            pytest.fail(f"PYTHONHASHSEED={seed} differs at line {diff}:\n{a[diff][:800]!r}\n{b[diff][:800]!r}")


def test_output_has_no_memory_addresses(outputs: dict[str, bytes]) -> None:
    assert b" at 0x" not in outputs["0"]


def test_same_input_same_output_in_process() -> None:
    f = tr.Facility.model_validate(
        {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
    )
    on = dt.date(2024, 1, 1)
    first = tr.assess(f, on=on)
    for _ in range(3):
        again = tr.assess(f, on=on)
        assert again == first
        assert again.model_dump_json() == first.model_dump_json()
    assert tr.Facility.model_validate(f.model_dump(mode="json")) == f  # JSON round trip of the input


def test_assessment_round_trips_through_json() -> None:
    f = tr.Facility.model_validate(
        {
            "jurisdiction": "xiamen",
            "mode": "self_run",
            "self_built": True,
            "places": 30,
            "enrolled": 20,
            "designations": [{"program": "cn.caring_employer", "year": 2022}],
        }
    )
    a = tr.assess(f, on=dt.date(2024, 1, 1))
    again = tr.Assessment.model_validate_json(a.model_dump_json())
    assert again.model_dump_json() == a.model_dump_json()


def test_concurrent_first_use_gives_one_answer() -> None:
    """Threads that race to load the registry (cold caches) all get the same assessment."""
    from concurrent.futures import ThreadPoolExecutor

    from tuoyu_rules.core import registry

    data = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}

    def one(_: int) -> str:
        f = tr.Facility.model_validate(data)
        return tr.assess(f, on=dt.date(2024, 1, 1)).model_dump_json()

    registry._reset()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = set(pool.map(one, range(32)))
    finally:
        registry._reset()
    assert len(results) == 1
