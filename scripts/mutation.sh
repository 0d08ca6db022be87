#!/usr/bin/env bash
# Mutation testing of the rules: do the tests notice when a rule's code is changed (a > turned into >=, a
# condition dropped, an amount altered)? Not part of the normal test run; slow; run by hand.
#
#   scripts/mutation.sh                                   # jurisdictions/xiamen.py against tests/
#   scripts/mutation.sh src/tuoyu_rules/engine.py         # one or more files (globs allowed)
#   TESTS="tests/test_xiamen.py tests/test_engine.py" scripts/mutation.sh src/tuoyu_rules/jurisdictions/xiamen.py
#   scripts/mutation.sh 'src/tuoyu_rules/jurisdictions/*' src/tuoyu_rules/engine.py   # the full target (hours)
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
# Output: the score (killed / all mutants) and the surviving mutants, each shown as a diff; the full
# results stay in $WORK/mutants (browse them with: cd $WORK && $VENV/bin/mutmut browse).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
TESTS=${TESTS:-tests/}
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
    -cf - src tests pyproject.toml | tar -C "$WORK" -xf -

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
# Survivors: one line each (the mutated line) here, full diffs in $WORK/survivors.txt.
"$VENV/bin/mutmut" results 2>/dev/null | grep -E ': (survived|no tests)' | sed 's/^ *//' >"$WORK/survivors.list" || true
: >"$WORK/survivors.txt"
while read -r line; do
    name=${line%%:*}
    "$VENV/bin/mutmut" show "$name" </dev/null >"$WORK/mutant.diff" 2>/dev/null || true
    cat "$WORK/mutant.diff" >>"$WORK/survivors.txt"
    changed=$(grep -E '^\+ ' "$WORK/mutant.diff" | head -n 1 | sed 's/^+ *//' | cut -c1-140)
    echo "${line}  | ${changed}"
done <"$WORK/survivors.list" >"$WORK/survivors.short"
echo "surviving mutants: $(wc -l <"$WORK/survivors.list") (diffs: $WORK/survivors.txt)"
cat "$WORK/survivors.short"
exit "$status"
