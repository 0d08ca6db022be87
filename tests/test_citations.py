"""Citations: every rule names its source, the clause, and the exact short words it rests on.

Digest: "every rule below quotes its clause verbatim ... and the code must cite the same clause. **Never
invent a figure the sources do not give.**" A refinement from outside the seeds carries a ``summary`` in
our own words and a confidence, never an invented quote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

import tuoyu_rules as tr
from tuoyu_rules.core.citations import lowest_confidence
from tuoyu_rules.core.loading import builtin_sources
from tuoyu_rules.core.zh_texts import latin_outside_ids

SEED_FILES = ("000_c1cdc2b76565fa65.txt", "001_5cab603ce49ea5b0.txt", "003_19185ccd5e50f847.txt")
SEED_000 = "全国总工会女职工部特约刊登: 全国总工会与国家卫生健康委共同召开全国用人单位托育服务工作现场推进会"
"""Seed 000 as a reader knows it (its header and headline); citations never name the seed file."""


def seed_file_of() -> dict[str, str]:
    """A seed document's name (a citation's ``source``) -> its file, from ``sources.toml`` (for maintainers)."""
    return {src["document"]: src["file"] for src in builtin_sources().values() if "file" in src}


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
    assert c.source == SEED_000
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
    files = seed_file_of()
    assert sorted(files.values()) == sorted(SEED_FILES)
    texts = {name: (root / file).read_text("utf-8") for name, file in files.items()}
    checked = 0
    for c in all_citations():
        if c.source in texts:
            checked += 1
            assert c.quote, f"{c.id}: a seed citation must quote the seed"
            assert c.quote in texts[c.source], f"{c.id}: quote not found verbatim in {files[c.source]}"
    assert checked >= len(SEED_QUOTES)


def test_citations_name_documents_never_files() -> None:
    """Contract: "Citations name the source by its title, issuing body, date, document number (文号) and address
    where known; never by an internal file name." Seed 000 is named by its header and headline."""
    for c in all_citations():
        assert not c.source.endswith((".txt", ".md", ".pdf", ".html")), c.id
        assert all(file.removesuffix(".txt") not in c.model_dump_json() for file in SEED_FILES), c.id
    seed = cite("cn", "cn.seed_award")
    assert seed.source == SEED_000
    assert seed.title in seed.source
    assert seed.number is None  # neither is known for seed 000: absent, never invented
    assert seed.url is None


def test_a_document_number_is_given_where_known() -> None:
    """国卫人口发〔2019〕58号 (托育机构设置标准（试行）) and 杭卫发〔2022〕68号: the only numbers the sources give."""
    numbers = {c.number for c in all_citations() if c.number is not None}
    assert numbers == {"国卫人口发〔2019〕58号", "杭卫发〔2022〕68号"}
    for c in all_citations():
        if c.number is not None:
            assert c.number in c.source, c.id
    assert all(c.url is None for c in all_citations())  # no address of any source is known


def test_no_source_copies_its_file_into_a_citation() -> None:
    """A source's ``file`` (the seed a maintainer checks quotes against) stays in sources.toml."""
    for sid, src in builtin_sources().items():
        if "file" in src:
            assert src["file"] not in src["document"], sid
    assert "file" not in tr.Citation.model_fields


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


def test_every_summary_has_its_chinese_and_english_sources_their_chinese_names() -> None:
    """A summary is our words, in both languages (``summary_zh``): never a quote, in either. A source, title,
    clause, issuer or place of publication written (partly) in English has its Chinese beside it."""
    for c in all_citations():
        if c.summary:
            assert c.summary_zh, c.id
            assert re.search(r"[\u4e00-\u9fff]", c.summary_zh), c.id
        else:
            assert c.summary_zh is None, c.id
        for name in ("source", "title", "clause", "issuer", "where"):
            text, zh = getattr(c, name), getattr(c, f"{name}_zh")
            if text and latin_outside_ids(text):
                assert zh, (c.id, name, text)
    per_class = cite("xiamen", "xiamen.per_class")
    assert per_class.summary_zh is not None
    assert "1.5万元" in per_class.summary_zh  # the same figure as the English "15,000", never another
    assert cite("cn", "cn.batch_2022").source_zh is None  # 工人日报 2023-05-05: Chinese already
    assert cite("sichuan", "sichuan.puhui_split").source_zh == "中国日报 2025-08-22（英文报道）"


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
    with pytest.raises(ValidationError):
        tr.Citation.model_validate({**base, "url": "example.org/notice"})  # an address is a http(s) URL
    with pytest.raises(ValidationError):
        tr.Citation.model_validate({**base, "number": ""})
    numbered = tr.Citation.model_validate({**base, "number": "杭卫发〔2022〕68号", "url": "https://example.org/n"})
    assert (numbered.number, numbered.url) == ("杭卫发〔2022〕68号", "https://example.org/n")
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


# -- no result names a seed file -------------------------------------------------------------------------------

SEED_MARKS = (".txt", *(name.split("_", 1)[1].removesuffix(".txt") for name in SEED_FILES))
"""What would betray a file name in a result: the suffix, and each seed's hash (``c1cdc2b76565fa65``...)."""
ON = dt.date(2024, 6, 1)


def _example(name: str) -> str:
    return resources.files("tuoyu_rules.examples").joinpath(name).read_text(encoding="utf-8")


def _results_of_the_examples() -> dict[str, str]:
    """Every bundled example's result, as JSON: the facilities assessed, the reform applied to the Xiamen
    example, the portfolio budgeted (under the law and the reform)."""
    names = sorted(e.name for e in resources.files("tuoyu_rules.examples").iterdir() if not e.name.startswith("_"))
    base = tr.Facility.model_validate_json(_example("xiamen.json"))
    out: dict[str, str] = {}
    for name in names:
        if name.endswith(".reform.json"):
            reform = tr.Reform.loads(_example(name))
            out[name] = tr.assess(base, on=ON, reform=reform).model_dump_json()
            compared = tr.compare(base, on=ON, reform=reform).to_json_data()
            out[f"{name} (compare)"] = json.dumps(compared, ensure_ascii=False)
        elif name.endswith(".jsonl"):
            rows = [json.loads(line) for line in _example(name).splitlines() if line.strip()]
            reform = tr.Reform.loads(_example("xiamen_operating_up.reform.json"))
            out[name] = tr.portfolio_budget(rows, on=ON, reforms=[reform]).model_dump_json()
        elif name.endswith(".json"):
            facility = tr.Facility.model_validate_json(_example(name))
            for lang in ("en", "zh"):
                out[f"{name} ({lang})"] = tr.assess(facility, on=ON, lang=lang).model_dump_json()
    assert len(out) >= len(names)
    return out


def _a_facility_per_city() -> dict[str, str]:
    """A facility in every city and district, with every fact a rule may read given, in both languages."""
    out: dict[str, str] = {}
    for jid in tr.list_jurisdictions():
        if tr.get_policy(jid).level not in ("city", "district"):
            continue
        facility = tr.Facility(
            jurisdiction=jid, mode="self_run", self_built=True, places=40, enrolled=30, embedded=True,
            full_day=True, first_intake=10, staff_puhui_fees=True, classes=(10, 10, 10), registered=True,
            filed=True, full_day_enrolled=30, staff_children=12, union_dues_paid=True, accepted=True,
        )  # fmt: skip
        for on in (ON, dt.date(2026, 2, 1)):
            for lang in ("en", "zh"):
                out[f"{jid} {on} ({lang})"] = tr.assess(facility, on=on, lang=lang).model_dump_json()
    return out


def test_no_result_ever_names_a_seed_file() -> None:
    """Contract: citations never name a source by an internal file name. Every bundled example's result and a
    facility per city, dumped to JSON, hold neither ``.txt`` nor a seed's hash; and the seed documents are
    cited there (by their names)."""
    results = {**_results_of_the_examples(), **_a_facility_per_city()}
    for what, text in results.items():
        for mark in SEED_MARKS:
            assert mark not in text, f"{what}: {mark!r} in the result"
    cited = "".join(results.values())
    for name in seed_file_of():
        assert json.dumps(name, ensure_ascii=False) in cited, f"no result cites {name}"
    allowance = tr.childcare_allowance(dt.date(2024, 1, 15)).model_dump_json()
    assert not any(mark in allowance for mark in SEED_MARKS)
