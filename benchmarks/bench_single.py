"""One facility, JSON-shaped input to full assessment with explanation: tuoyu_rules against OpenFisca.

    python benchmarks/bench_single.py [--n 2000] [--json]

Times, per call, ``tr.assess(tr.Facility.model_validate(data), on=ON).model_dump(mode="json")`` for a Xiamen
facility (self-built, self-run) whose employer holds the 2022 national caring-employer designation, and, when
``openfisca-core`` imports (the ``bench`` extra), the equivalent OpenFisca model (``openfisca_model.py``)
through its JSON situation API (``SimulationBuilder().build_from_entities`` + ``calculate`` of every output),
in the same run, and prints both medians and the ratio. A Hangzhou facility is timed too when Hangzhou is
registered.

Two input patterns are timed for tuoyu_rules: the *same* JSON repeatedly (what the issue measured) and
*distinct* inputs (places and enrolled change on every call), so that a cache keyed on the whole input
cannot flatter the figure. Never run as a unit test: timing is not a correctness property.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import tuoyu_rules as tr

try:
    from tuoyu_rules.batch import RuleCache
except ImportError:  # an older tree without the batch module
    RuleCache = None  # type: ignore[assignment,misc]

ON = dt.date(2024, 1, 1)
MONTH = "2024-01"

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
    "designations": [{"program": "hangzhou.puhui", "year": 2023}, {"program": "cn.caring_employer", "year": 2022}],
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    )


def timed(fn: Callable[[], object], n: int, warmup: int = 50) -> list[float]:
    """Per-call wall times in microseconds (garbage collection left on, as in production)."""
    for _ in range(warmup):
        fn()
    out: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(n):
        t0 = clock()
        fn()
        out.append((clock() - t0) / 1000)
    return out


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_us": statistics.median(ordered),
        "p10_us": ordered[len(ordered) // 10],
        "p90_us": ordered[(len(ordered) * 9) // 10],
        "n": float(len(ordered)),
    }


def tuoyu_call(data: dict[str, Any]) -> dict[str, Any]:
    return tr.assess(tr.Facility.model_validate(data), on=ON).model_dump(mode="json")


def distinct_inputs(base: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` variants of ``base`` with different places and enrolled (same programmes apply)."""
    out = []
    for i in range(count):
        d = copy.deepcopy(base)
        d["places"] = 20 + i % 180
        d["enrolled"] = (i * 7) % (d["places"] + 1)
        out.append(d)
    return out


def bench_tuoyu(data: dict[str, Any], n: int) -> dict[str, dict[str, float]]:
    fac = tr.Facility.model_validate(data)
    result = tr.assess(fac, on=ON)
    variants = distinct_inputs(data, n + 50)
    it = iter(variants)
    out = {
        "same input": summary(timed(lambda: tuoyu_call(data), n)),
        "distinct inputs": summary(timed(lambda: tuoyu_call(next(it)), n)),
        "  validate only": summary(timed(lambda: tr.Facility.model_validate(data), n)),
        "  assess only": summary(timed(lambda: tr.assess(fac, on=ON), n)),
        "  model_dump only": summary(timed(lambda: result.model_dump(mode="json"), n)),
        "  model_dump_json only": summary(timed(lambda: result.model_dump_json(), n)),
    }
    if RuleCache is None:  # an older tree without the batch module
        return out
    # The fact-keyed memo of tuoyu_rules.batch: the same results as tr.assess (tests/test_batch.py), computed
    # once per distinct set of facts the rules read. Distinct inputs here differ in places and enrolled.
    cache = RuleCache(on=ON)
    it1 = iter(distinct_inputs(data, n + 50))
    it2 = iter(distinct_inputs(data, n + 50))
    it3 = iter(distinct_inputs(data, n + 50))
    it4 = iter([json.dumps(d).encode() for d in distinct_inputs(data, n + 50)])  # NDJSON lines: the JSON reader too
    # Sanity, untimed: the memo's text is tr.assess's, byte for byte, on every input timed below.
    for d in distinct_inputs(data, n + 50):
        want = tr.assess(tr.Facility.model_validate(d), on=ON).model_dump_json()
        if RuleCache(on=ON).assess_json(d) != want or cache.assess_json(d) != want:  # pragma: no cover
            raise SystemExit(f"memo output differs from tr.assess for {d}")
    cache = RuleCache(on=ON)
    out["memo: JSON text, distinct inputs"] = summary(timed(lambda: cache.assess_json(next(it1)), n))
    out["memo: NDJSON line (bytes), distinct inputs"] = summary(timed(lambda: cache.assess_json(next(it4)), n))
    out["memo: model_validate + ndjson, distinct"] = summary(
        timed(lambda: cache.ndjson(tr.Facility.model_validate(next(it2))), n)
    )
    out["memo: Assessment+model_dump, distinct"] = summary(
        timed(lambda: cache.assessment(cache.facility(next(it3))).model_dump(mode="json"), n)
    )
    out["  memo: validate only (RuleCache.facility)"] = summary(timed(lambda: cache.facility(data), n))
    fac_json = fac.model_dump_json
    out["  memo: trie walk only"] = summary(timed(lambda: cache._find(fac), n))
    out["  memo: facility model_dump_json only"] = summary(timed(fac_json, n))
    misses = [RuleCache(on=ON) for _ in range(n // 4 + 10)]
    it4 = iter(misses)
    out["memo: a miss (traced engine run)"] = summary(timed(lambda: next(it4).assess_json(data), n // 4, warmup=10))
    return out


def check_same_amounts(data: dict[str, Any], of: dict[str, float]) -> list[str]:
    """Compare OpenFisca's amounts with tuoyu_rules' (eligible entries); return the differences."""
    a = tr.assess(tr.Facility.model_validate(data), on=ON)
    want: dict[str, Decimal | None] = {}
    for e in a.entitlements:
        key = {
            "xiamen.construction_subsidy": "xiamen_construction",
            "xiamen.operating_subsidy": "xiamen_operating",
            "hangzhou.puhui_subsidy": "hangzhou_puhui",
            "cn.caring_employer_award": "cn_award",
        }.get(e.program)
        if key is None:
            continue
        eligible = e.status == "eligible"
        want[f"{key}_low"] = e.amount.low if eligible else Decimal(0)
        want[f"{key}_high"] = (e.amount.high if eligible else Decimal(0)) if e.amount.high is not None else None
        if getattr(e, "children", None) is not None:  # a per-child entry's monthly total (trees since a600f76)
            want[f"{key}_total_low"] = e.total.low if eligible else Decimal(0)
            want[f"{key}_total_high"] = (e.total.high if eligible else Decimal(0)) if e.total.high is not None else None
    for o in a.obligations:
        if o.program == "cn.caring_employer_provincial_match":
            want["cn_provincial_match_low"] = o.amount.low
    problems = []
    for key, value in want.items():
        got = of.get(key)
        if got is None:
            continue
        if value is None:
            if got != float("inf"):
                problems.append(f"{key}: tuoyu unbounded, OpenFisca {got}")
        elif Decimal(repr(got)) != value:
            problems.append(f"{key}: tuoyu {value}, OpenFisca {got}")
    return problems


def bench_openfisca(cases: dict[str, dict[str, Any]], n: int) -> dict[str, Any]:
    try:
        import openfisca_model as om
    except ImportError as exc:
        return {"error": f"openfisca-core is not installed ({exc}); install the bench extra"}
    import openfisca_core

    system = om.build_system()
    out: dict[str, Any] = {"version": getattr(openfisca_core, "__version__", "?")}
    try:
        from importlib.metadata import version

        out["version"] = version("openfisca-core")
    except Exception:
        pass
    for name, data in cases.items():
        problems = check_same_amounts(data, om.assess_one(system, data, MONTH))
        out[name] = {
            "JSON situation": summary(timed(lambda d=data: om.assess_one(system, d, MONTH), n)),
            "fresh tax-benefit system": summary(
                timed(lambda d=data: om.assess_one(om.build_system(), d, MONTH), max(n // 4, 50), warmup=10)
            ),
            "amounts agree": not problems,
            "differences": problems,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="timed calls per measurement (default 2000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    cases = {"xiamen": XIAMEN}
    if "hangzhou" in tr.list_jurisdictions():
        cases["hangzhou"] = HANGZHOU
    else:
        print("note: hangzhou is not registered in this tree; timing Xiamen only", file=sys.stderr)

    gc.collect()
    report: dict[str, Any] = {
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "tuoyu_rules": {name: bench_tuoyu(data, args.n) for name, data in cases.items()},
    }
    report["openfisca"] = bench_openfisca(cases, args.n)
    of = report["openfisca"]
    ratios = {}
    if "error" not in of:
        for name in cases:
            theirs = of[name]["JSON situation"]["median_us"]
            for what in ("same input", "distinct inputs", "memo: JSON text, distinct inputs"):
                if what in report["tuoyu_rules"][name]:
                    ratios[f"{name}, {what}"] = theirs / report["tuoyu_rules"][name][what]["median_us"]
    report["ratio_openfisca_over_tuoyu"] = ratios

    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"machine: {report['machine']}")
    print(f"date:    {report['date']}")
    print(f"tuoyu_rules {tr.__version__}; pydantic {_version('pydantic')}; on={ON}; n={args.n}")
    print()
    print(f"{'case':<10} {'what':<46} {'median us':>10} {'p10':>9} {'p90':>9}")
    for name in cases:
        for what, s in report["tuoyu_rules"][name].items():
            print(f"{name:<10} {'tuoyu ' + what:<46} {s['median_us']:>10.1f} {s['p10_us']:>9.1f} {s['p90_us']:>9.1f}")
        if "error" not in of:
            for what in ("JSON situation", "fresh tax-benefit system"):
                s = of[name][what]
                label = f"OpenFisca {what}"
                print(f"{name:<10} {label:<46} {s['median_us']:>10.1f} {s['p10_us']:>9.1f} {s['p90_us']:>9.1f}")
            agree = "yes" if of[name]["amounts agree"] else "NO: " + "; ".join(of[name]["differences"])
            print(f"{name:<10} amounts agree with OpenFisca: {agree}")
    print()
    if "error" in of:
        print(f"OpenFisca: {of['error']}")
    else:
        print(f"OpenFisca {of['version']} (float32 amounts, no reasons or citations; JSON situation API)")
        for name, r in ratios.items():
            verdict = "meets" if r >= 50 else "misses"
            print(f"ratio OpenFisca / tuoyu_rules ({name}): {r:.1f}x ({verdict} the 50x target)")
    return 0


def _version(dist: str) -> str:
    from importlib.metadata import version

    try:
        return version(dist)
    except Exception:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
