#!/usr/bin/env bash
# Mutation testing of the rules: do the tests notice when a rule's code is changed (a > turned into >=, a
# condition dropped, an amount altered)? Not part of the normal test run; slow; run by hand.
#
#   scripts/mutation.sh                                   # jurisdictions/xiamen.py against tests/
#   scripts/mutation.sh src/tuoyu_rules/core/engine.py    # one or more files (globs allowed)
#   TESTS="tests/test_xiamen.py tests/test_engine.py" scripts/mutation.sh src/tuoyu_rules/jurisdictions/xiamen.py
#   # the full target: the rules, the helpers they share (core/context.py) and the engine
#   scripts/mutation.sh 'src/tuoyu_rules/jurisdictions/*' src/tuoyu_rules/core/context.py src/tuoyu_rules/core/engine.py
#   TESTS=jurisdictions scripts/mutation.sh 'src/tuoyu_rules/jurisdictions/*'   # the rules' own tests (minutes)
#
# TESTS=jurisdictions is a preset: the tests that exercise the rules (tests/jurisdictions, test_national,
# test_xiamen, test_engine, test_engine_edges and the fuzz, error and data-integrity tests). The figure
# recorded for the jurisdiction modules uses it. TESTS=tests/ (the default: the whole suite) needs every
# test to pass under HYPOTHESIS_PROFILE=ci in one process; the tree is copied whole (and listed in
# also_copy), so the tests that read docs/, tools/ or README find them.
#
# Recorded 2026-11-29 on e8ae5a4's tree (mutmut 3.8.1, TESTS=jurisdictions; one run of the full target above,
# then engine.py and context.py again with the edge tests added to tests/test_engine_edges.py for issue 18):
# src/tuoyu_rules/jurisdictions/* 95.0% (742/781 killed; every module at least 91.2%: qianan 91.2, sichuan
# 91.7, siming 92.6, xiamen 92.8, weifang 94.4, hangzhou 95.3, cn 98.1, fujian 98.6, chengdu and nanning 100),
# src/tuoyu_rules/core/engine.py 98.9% (262/265; it was 81.9% before those tests: the boundary that checks what
# a rule returns, added by issue 18, had no test among the preset's), src/tuoyu_rules/core/context.py 97.6%
# (280/287; was 80.5%). Most jurisdiction survivors are equivalent: format('wan') -> format(None/'XXwanXX'/
# 'WAN') (any style but "yuan" is wan), the label of a ctx.scale() whose note can never appear (a fen amount
# times a whole count is exact), typing.cast(None, ...), a model_construct default; a few are message texts
# not pinned by the preset's tests (the late= text of a designation year, xiamen's "amount is in force on this
# day", cn's batch comparisons). The 10 engine and context survivors are equivalent: the key looked up for a
# programme that matches nothing ("" or "XXXX": neither is a programme id), the pin field when no pin is given
# (read only with a pin), a fen check whose shortcut is then decided by quantize (exponent != +2), the
# model_construct default allowed=None, format 'F' for 'f' (same for finite numbers), typing.cast (four).
# (The 2026-11-22 figures, before the layout move: jurisdictions 95.9% (769/802), engine 97.0% (321/331).)
#
# mutmut needs the selected tests to pass on the unmutated code first ("failed to collect stats" otherwise).
# tests/reliability/test_determinism.py is always left out: its subprocesses import the unmutated code.
# The hypothesis tests are derandomized here (HYPOTHESIS_PROFILE=ci), so a kill is reproducible.
#
# Environment: TESTS (pytest paths, default "tests/"), MAX_SECONDS (stop mutmut after this, default 1800),
# WORK (scratch directory, default a new one under /tmp), VENV (default .venv), MUTMUT (pip requirement).
#
# It works on a scratch copy of the tree, so the shared working tree gets no mutants/ folder and no
# setup.cfg, and edits made meanwhile by others do not disturb the run. mutmut is installed into the
# virtualenv on first use; it is not a runtime or dev dependency of the package.
# Output: the score (killed / all mutants) overall and per module, and the surviving mutants (one line
# each here, as diffs in $WORK/survivors.txt); the full results stay in $WORK/mutants (browse them with:
# cd $WORK && $VENV/bin/mutmut browse).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
TESTS=${TESTS:-tests/}
if [ "$TESTS" = "jurisdictions" ]; then
    TESTS="tests/jurisdictions tests/test_national.py tests/test_xiamen.py tests/test_engine.py"
    if [ -f "$ROOT/tests/test_engine_edges.py" ]; then TESTS="$TESTS tests/test_engine_edges.py"; fi
    TESTS="$TESTS tests/reliability/test_fuzz.py tests/reliability/test_errors.py tests/reliability/test_data_integrity.py"
fi
MAX_SECONDS=${MAX_SECONDS:-1800}
MUTMUT=${MUTMUT:-mutmut>=3.2,<4}
if [ "$#" -eq 0 ]; then
    set -- src/tuoyu_rules/jurisdictions/xiamen.py
fi

if ! "$VENV/bin/python" -c "import mutmut" 2>/dev/null; then
    echo "installing $MUTMUT into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet "$MUTMUT"
fi

WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tuoyu-mutation.XXXXXX")}
mkdir -p "$WORK"
echo "scratch copy: $WORK" >&2
tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./mutants --exclude='__pycache__' \
    --exclude=./.hypothesis --exclude=./.mypy_cache --exclude=./.ruff_cache --exclude=./.pytest_cache \
    --exclude=./site --exclude=./setup.cfg -cf - . | tar -C "$WORK" -xf -

# mutmut reads [tool.mutmut] from pyproject.toml, else [mutmut] from setup.cfg: write the latter in the copy.
{
    echo "[mutmut]"
    echo "source_paths = src/"
    echo "only_mutate ="
    for target in "$@"; do echo "    $target"; done
    echo "pytest_add_cli_args_test_selection ="
    for t in $TESTS; do echo "    $t"; done
    echo "pytest_add_cli_args ="
    echo "    -p"
    echo "    no:cacheprovider"
    echo "    --ignore=tests/reliability/test_determinism.py"
    echo "use_git_change_detection = false"
    # Files some tests read (README, docs, the doc generator, examples): copied next to the mutants too.
    echo "also_copy ="
    for extra in README.md CHANGELOG.md mkdocs.yml docs tools examples benchmarks; do
        if [ -e "$WORK/$extra" ]; then echo "    $extra"; fi
    done
} >"$WORK/setup.cfg"

cd "$WORK"
# Run hypothesis derandomized, so a mutant is killed or not for the same reason every time.
export HYPOTHESIS_PROFILE=ci
status=0
echo "running mutmut (progress in $WORK/mutmut-run.log)" >&2
timeout --foreground "$MAX_SECONDS" "$VENV/bin/mutmut" run >"$WORK/mutmut-run.log" 2>&1 || status=$?
tail -c 400 "$WORK/mutmut-run.log" | tr '\r' '\n' | tail -n 2 >&2
if [ "$status" -eq 124 ]; then
    echo "mutmut stopped after ${MAX_SECONDS}s; the results below are partial" >&2
elif [ "$status" -ne 0 ]; then
    echo "mutmut exited with status $status" >&2
fi

"$VENV/bin/mutmut" export-cicd-stats >/dev/null 2>&1 || true
if [ -f mutants/mutmut-cicd-stats.json ]; then
    "$VENV/bin/python" - <<'PY'
import json

s = json.load(open("mutants/mutmut-cicd-stats.json"))
done = s.get("killed", 0) + s.get("survived", 0) + s.get("timeout", 0) + s.get("suspicious", 0)
score = 100 * (done - s.get("survived", 0)) / done if done else 0.0
print(f"mutation score: {score:.1f}% of {done} mutants tested ({json.dumps(s)})")
PY
fi
# Per module: killed / tested (a mutant's name is <module path>.x_<function>__mutmut_<n>).
"$VENV/bin/mutmut" results --all true 2>/dev/null | "$VENV/bin/python" -c '
import collections, sys

counts = collections.defaultdict(collections.Counter)
for line in sys.stdin:
    name, _, status = line.strip().partition(": ")
    if "__mutmut_" in name:
        counts[name.rsplit(".", 1)[0]][status.strip()] += 1
for module, c in sorted(counts.items()):
    tested = sum(c.values()) - c["not checked"] - c["skipped"] - c["no tests"]
    killed = tested - c["survived"]
    print(f"  {module}: {100 * killed / tested if tested else 0:.1f}% ({killed}/{tested} killed)")
' || true
# Survivors: one line each (the mutated line) here, full diffs in $WORK/survivors.txt.
"$VENV/bin/mutmut" results 2>/dev/null | grep -E ': (survived|no tests)' | sed 's/^ *//' >"$WORK/survivors.list" || true
: >"$WORK/survivors.txt"
while read -r line; do
    name=${line%%:*}
    "$VENV/bin/mutmut" show "$name" </dev/null >"$WORK/mutant.diff" 2>/dev/null || true
    cat "$WORK/mutant.diff" >>"$WORK/survivors.txt"
    changed=$(grep -E '^\+ ' "$WORK/mutant.diff" | head -n 1 | sed 's/^+ *//' | cut -c1-140 || true)
    echo "${line}  | ${changed}"
done <"$WORK/survivors.list" >"$WORK/survivors.short"
echo "surviving mutants: $(wc -l <"$WORK/survivors.list") (diffs: $WORK/survivors.txt)"
cat "$WORK/survivors.short"
exit "$status"
