"""Every registered jurisdiction has a documentation page, generated from its data and saying what it says."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from types import ModuleType

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import registry
from tuoyu_rules.core.messages import core_catalog

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ROOT / "tests" / "plugins"


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tuoyu_gen_docs", ROOT / "tools" / "gen_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _gen_docs()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    files: dict[str, str] = GEN.generated()
    return files


def test_every_registered_jurisdiction_has_a_page(pages: dict[str, str]) -> None:
    for jid in tr.list_jurisdictions():
        assert f"jurisdictions/{jid}.md" in pages, jid
    assert "jurisdictions/index.md" in pages


def test_every_jurisdiction_is_in_the_nav_and_the_index(pages: dict[str, str]) -> None:
    nav = GEN.nav()["jurisdictions"]
    listed = {next(iter(item.values())) for item in nav if isinstance(item, dict)}
    index = pages["jurisdictions/index.md"]
    for jid in tr.list_jurisdictions():
        assert f"jurisdictions/{jid}.md" in listed
        assert f"({jid}.md)" in index


@pytest.mark.parametrize("jid", tr.list_jurisdictions())
def test_page_says_what_the_data_says(jid: str, pages: dict[str, str]) -> None:
    policy = tr.get_policy(jid)
    page = pages[f"jurisdictions/{jid}.md"]
    esc = GEN.esc
    for text in (policy.name_zh, policy.name_en, policy.level, policy.division_code):
        assert esc(text) in page or f"`{text}`" in page, text
    if policy.parent is not None:
        assert f"`{policy.parent}`" in page
    for program in policy.programs:
        assert f"`{program.id}`" in page
        assert esc(program.name_zh) in page
        assert esc(program.name_en) in page
        if program.payer is not None:
            assert f"`{program.payer}`" in page
        if program.basis is not None:
            assert f"`{program.basis}`" in page
        assert esc(program.dates()) in page
        for assumption in program.assumptions:
            assert esc(assumption) in page
        for text in (*program.assumptions_zh, *program.notes_zh):  # each beside its English
            assert f"<br>{esc(text)}" in page, text
    for name, param in policy.parameters.items():
        assert f"`{name}`" in page
        if param.description_zh:
            assert esc(param.description_zh) in page
        for value in param.values:
            assert esc(value.render()) in page
            assert esc(value.period()) in page
            if value.note_zh:
                assert f"{esc(value.note or '')}<br>{esc(value.note_zh)}" in page
    for citation in policy.citations.values():
        assert f"`{citation.id}`" in page
        assert esc(citation.source) in page
        if citation.number:
            assert esc(citation.number) in page
        assert esc(citation.clause) in page
        assert f"`{citation.confidence}`" in page
        if citation.quote:
            assert f"> {esc(citation.quote)}" in page
        if citation.summary:
            assert f"> {esc(citation.summary)}" in page
        if citation.summary_zh:
            assert f"> {esc(citation.summary_zh)}" in page
        for zh in (citation.source_zh, citation.title_zh, citation.clause_zh, citation.issuer_zh, citation.where_zh):
            assert zh is None or f" | {esc(zh)} |" in page
    for limitation in policy.limitations:
        assert esc(limitation) in page
    for en, zh in zip(policy.limitations, policy.limitations_zh, strict=True):  # both languages, side by side
        assert f"- {esc(en)}<br>{esc(zh)}" in page
    for en, zh in zip(policy.references, policy.references_zh, strict=True):
        assert f"- {esc(en)}<br>{esc(zh)}" in page
    catalog = core_catalog().with_layers([policy.messages], [policy.terms])
    for code, entry in policy.messages.items():  # each reason's code, with its Chinese and English texts
        zh, en = (GEN.template_cell(entry.template(lang), catalog, lang) for lang in ("zh", "en"))
        assert f"| `{code}` | {zh} | {en} |" in page, code


def test_quotes_and_summaries_are_labelled_apart(pages: dict[str, str]) -> None:
    page = pages["jurisdictions/xiamen.md"]
    assert "Quote (the source's own words):\n\n> 对用人单位自建自办的托育中心实行5万~10万元的建设补助" in page
    assert "Summary (in our words; no quote was seen):" in page
    assert "摘要（中文，本库转述，原文未见）：\n\n> 验收后，运营补助按班每年发放" in page  # never labelled a quote


def test_every_bundled_page_shows_its_texts_in_both_languages(pages: dict[str, str]) -> None:
    """Issue 14: each jurisdiction page shows both languages of its limitations, assumptions and notes."""
    for jid in tr.list_jurisdictions():
        policy = tr.get_policy(jid)
        if policy.limitations:
            assert policy.limitations_zh, jid
        page = pages[f"jurisdictions/{jid}.md"]
        assert page.count("<br>") >= len(policy.limitations) + sum(len(p.notes) for p in policy.programs), jid


def test_escaping_keeps_tables_and_emphasis_intact() -> None:
    assert GEN.esc("a|b*c_d<e>") == "a\\|b\\*c\\_d&lt;e&gt;"


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(PLUGINS / "good_plugin"))
    fake = [EntryPoint(name="testville", value="tuoyu_good_plugin:load", group=tr.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(registry, "_entry_points", lambda: list(fake))
    registry._reset()
    yield
    registry._reset()


@pytest.mark.usefixtures("with_plugin")
def test_a_plugin_jurisdiction_gets_its_page_too() -> None:
    files = GEN.generated()
    page = files["jurisdictions/testville.md"]
    assert "# 测试市 Testville" in page
    assert "`testville.operating`" in page
    assert "> 对用人单位托育机构每年给予1000元至2000元运营补助" in page
    assert "[`fujian`](fujian.md)" in page
