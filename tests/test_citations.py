"""Citations: every rule names its source, the clause, and the exact short words it rests on.

Digest: "every rule below quotes its clause verbatim ... and the code must cite the same clause. **Never
invent a figure the sources do not give.**" A refinement from outside the seeds carries a ``summary`` in
our own words and a confidence, never an invented quote.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

import tuoyu_rules as tr
from tuoyu_rules.core.citations import lowest_confidence

SEED_FILES = ("000_c1cdc2b76565fa65.txt", "001_5cab603ce49ea5b0.txt", "003_19185ccd5e50f847.txt")

# The clauses of the seed rules these tests cover, copied from seed 000 (ASCII commas, as in the file).
SEED_QUOTES = {
    "cn.seed_award": "全国总工会已下拨750万元专项资金,以每个用人单位10万元的标准为全国爱心托育用人单位提供资金补助",
    "cn.seed_match": "省级工会进行不低于1:1的资金配套",
    "xiamen.seed_construction": "对用人单位自建自办的托育中心实行5万~10万元的建设补助",
    "xiamen.seed_operating": "对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助",
}


def seeds_dir() -> Path | None:
    """The seed documents, when present: ``$TUOYU_SEEDS`` or ``../shared/seeds`` beside the repository."""
    candidates = [os.environ.get("TUOYU_SEEDS"), str(Path(__file__).resolve().parents[2] / "shared" / "seeds")]
    for c in candidates:
        if c and all((Path(c) / name).is_file() for name in SEED_FILES):
            return Path(c)
    return None


def all_citations() -> list[tr.Citation]:
    return [c for jid in tr.list_jurisdictions() for c in tr.get_policy(jid).citations.values()]


def cite(jid: str, cid: str) -> tr.Citation:
    return tr.get_policy(jid).citations[cid]


@pytest.mark.parametrize(("cid", "quote"), sorted(SEED_QUOTES.items()))
def test_seed_rules_quote_the_seed_clause_exactly(cid: str, quote: str) -> None:
    """The four seed clauses of the national and Xiamen rules, as they stand in seed 000."""
    c = cite(cid.split(".")[0], cid)
    assert c.quote == quote
    assert c.source == "000_c1cdc2b76565fa65.txt"
    assert c.confidence == "official"
    assert c.clause


@pytest.mark.parametrize(("cid", "quote"), sorted(SEED_QUOTES.items()))
def test_the_test_quotes_are_in_the_seed(cid: str, quote: str) -> None:
    """Guards this file's own copies of the clauses (skipped where the seeds are not available)."""
    root = seeds_dir()
    if root is None:
        pytest.skip("seed documents not available (set TUOYU_SEEDS)")
    assert quote in (root / "000_c1cdc2b76565fa65.txt").read_text("utf-8")


def test_every_seed_citation_quotes_its_seed_verbatim() -> None:
    """For every registered jurisdiction: a citation of a seed document quotes words found in it verbatim."""
    root = seeds_dir()
    if root is None:
        pytest.skip("seed documents not available (set TUOYU_SEEDS)")
    texts = {name: (root / name).read_text("utf-8") for name in SEED_FILES}
    checked = 0
    for c in all_citations():
        if c.source in texts:
            checked += 1
            assert c.quote, f"{c.id}: a seed citation must quote the seed"
            assert c.quote in texts[c.source], f"{c.id}: quote not found verbatim in {c.source}"
    assert checked >= len(SEED_QUOTES)


def test_every_citation_is_complete_and_short() -> None:
    """Contract: "``quote`` (the exact words of the source that the rule rests on; short)"."""
    for c in all_citations():
        assert c.id.split(".")[0] in tr.list_jurisdictions()
        assert c.source
        assert c.clause
        assert c.title
        assert c.quote or c.summary
        assert c.quote is None or len(c.quote) <= 200, c.id
        assert c.confidence in ("official", "secondary")


def test_refinements_summarise_and_never_pretend_to_quote() -> None:
    """Press reports whose original words were not seen carry a summary, not a quote."""
    for cid in ("cn.batch_2022", "cn.batch_2023", "cn.batch_2024"):
        c = cite("cn", cid)
        assert c.quote is None
        assert c.summary
    per_class = cite("xiamen", "xiamen.per_class")
    assert per_class.quote is None
    assert per_class.confidence == "secondary"
    assert "15,000" in (per_class.summary or "")


def test_a_citation_needs_words() -> None:
    with pytest.raises(ValidationError, match="needs the quote it rests on, or a summary"):
        tr.Citation(id="x.y", source="s", title="t", clause="c", confidence="official")


def test_citation_fields_are_validated() -> None:
    base = {"id": "x.y", "source": "s", "title": "t", "clause": "c", "quote": "q", "confidence": "official"}
    assert tr.Citation.model_validate(base).short() == "t, c [official]"
    with pytest.raises(ValidationError):
        tr.Citation.model_validate({**base, "confidence": "rumour"})
    with pytest.raises(ValidationError):
        tr.Citation.model_validate({**base, "source": ""})
    with pytest.raises(ValidationError):
        tr.Citation.model_validate({**base, "page": 3})
    c = tr.Citation.model_validate(base)
    with pytest.raises(ValidationError):
        c.quote = "other"  # type: ignore[misc]


def test_lowest_confidence() -> None:
    official = cite("xiamen", "xiamen.seed_operating")
    secondary = cite("xiamen", "xiamen.per_class")
    assert lowest_confidence([official]) == "official"
    assert lowest_confidence([official, secondary]) == "secondary"
    assert lowest_confidence([]) == "official"


def test_program_citations_start_with_the_seed_clause() -> None:
    """A programme's citations are its seed clause first, then the refinements."""
    program = tr.get_policy("xiamen").program("xiamen.construction_subsidy")
    assert program.citations[0].quote == SEED_QUOTES["xiamen.seed_construction"]
    assert {c.id for c in program.citations[1:]} == {"xiamen.tiers_workers_daily", "xiamen.tiers_haixi"}
