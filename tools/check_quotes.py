"""Check every seed citation's quote against the seed documents (a developer tool, not a test).

The seeds live in ``../shared/seeds`` beside the repository, which users of the package do not have, so
this runs by hand or in CI, not in the test suite:  python tools/check_quotes.py [SEEDS_DIR]
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "tuoyu_rules" / "jurisdictions"


def main() -> int:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seeds"
    sources = tomllib.loads((DATA / "sources.toml").read_text("utf-8"))["sources"]
    texts = {
        sid: (seeds / src["file"]).read_text("utf-8")
        for sid, src in sources.items()
        if "file" in src and (seeds / src["file"]).exists()
    }
    if not texts:
        print(f"no seed documents found in {seeds}", file=sys.stderr)
        return 2
    bad = checked = 0
    for path in sorted(DATA.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        for cid, cite in data.get("citations", {}).items():
            text = texts.get(cite.get("source", ""))
            if text is None:
                continue
            checked += 1
            if cite.get("quote") not in text:
                bad += 1
                print(f"{path.name}: {cid}: quote not found verbatim in {sources[cite['source']]['file']}")
    print(f"{checked} seed quotes checked, {bad} not found")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
