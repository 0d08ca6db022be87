"""Write the bundled example portfolio ``src/tuoyu_rules/examples/portfolio_xiamen.jsonl`` (deterministic).

100 Xiamen employer facilities, built from each row's index alone (no randomness), so the file and every
figure of ``examples/xiamen_reform_budget.py`` can be reasoned about by hand:

* modes cycle self_run, joint_run, purchased_places, third_party: 25 each; all four are modes Xiamen's
  operating subsidy names (third_party as 购买服务), and no row gives class sizes, so **every** facility
  gets the per-facility operating range (15,000 to 25,000 a year under the law);
* rows 0, 8, 16, ..., 96 (13 rows, all self_run) are self-built (自建自办), with the published conditions
  met (first intake 6, full-day, 普惠 fees for staff): each gets the one-time construction subsidy;
* rows 0, 20, 40, 60, 80 were designated national caring employers in the 2022 batch (100,000 each from
  the ACFTU, matched at least 1:1 by the Fujian provincial union);
* rows 7, 32, 57, 82 were designated in the 2024 batch, whose per-unit amount no source states: their
  award stays undetermined, and the budget says so;
* places run 20 to 79, enrolled a little below places.

Run ``python tools/make_portfolio.py`` to rewrite the file; ``--check`` exits 1 if the file differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules" / "examples" / "portfolio_xiamen.jsonl"
MODES = ("self_run", "joint_run", "purchased_places", "third_party")
SIZE = 100


def row(i: int) -> dict[str, Any]:
    mode = MODES[i % 4]
    places = 20 + (i * 7) % 60
    data: dict[str, Any] = {
        "name": f"Xiamen employer facility {i + 1:03d}",
        "jurisdiction": "xiamen",
        "mode": mode,
        "places": places,
        "enrolled": places - i % 5,
    }
    if i % 8 == 0:
        data.update(self_built=True, full_day=True, first_intake=6, staff_puhui_fees=True)
    designations = []
    if i % 20 == 0:
        designations.append({"program": "cn.caring_employer", "year": 2022})
    if i % 25 == 7:
        designations.append({"program": "cn.caring_employer", "year": 2024})
    if designations:
        data["designations"] = designations
    return data


def text() -> str:
    return "".join(json.dumps(row(i), ensure_ascii=False, sort_keys=True) + "\n" for i in range(SIZE))


def main(argv: list[str]) -> int:
    if "--check" in argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text() else 1
    TARGET.write_text(text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
