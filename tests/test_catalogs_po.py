"""The catalogs' gettext round trip (issue 14): ``tools/catalogs_po.py export`` writes one .po file per catalog file,
``import`` reads the translated Chinese back into the TOML catalogs, changing only the ``zh`` strings that changed
and refusing a translation the catalogs' checks refuse (placeholders, Latin letters). ``docs/contributing-
translations.md`` tells translators how.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "tuoyu_rules"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tuoyu_catalogs_po", ROOT / "tools" / "catalogs_po.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


PO = _load()
TOMLS = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.toml"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the package's TOML files, for an import to change."""
    copy = tmp_path / "pkg"
    for rel in TOMLS:
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE / rel, copy / rel)
    return copy


@pytest.fixture
def po_dir(tmp_path: Path) -> Path:
    """The catalogs exported in Chinese."""
    out = tmp_path / "po"
    PO.export(out, "zh")
    return out


def _changed(root: Path) -> dict[str, list[tuple[str, str]]]:
    """The files of ``root`` that differ from the package's, each with its (old, new) lines that differ."""
    changed = {}
    for rel in TOMLS:
        old, new = (PACKAGE / rel).read_bytes(), (root / rel).read_bytes()
        if old != new:
            a, b = old.decode("utf-8").split("\n"), new.decode("utf-8").split("\n")
            assert len(a) == len(b), rel
            changed[rel] = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return changed


def _edit(po_dir: Path, name: str, context: str, msgstr: str, *, flags: str = "", msgid: str | None = None) -> None:
    """Give the entry ``context`` of ``name`` the msgstr lines ``msgstr`` (``msgstr ...`` and continuations)."""
    path = po_dir / name
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    found = [i for i, block in enumerate(blocks) if f'\nmsgctxt "{context}"\n' in f"\n{block}\n"]
    assert len(found) == 1, context
    block = blocks[found[0]]
    head, _, _ = block.partition("\nmsgstr ")
    if msgid is not None:
        head = head.partition("\nmsgid ")[0] + f"\nmsgid {msgid}"
    blocks[found[0]] = (f"#, {flags}\n" if flags else "") + head + "\n" + msgstr
    path.write_text("\n\n".join(blocks), encoding="utf-8")


def _import(po_dir: Path, root: Path, *extra: str) -> int:
    code: int = PO.main(["import", str(po_dir), "--root", str(root), *extra])
    return code


# -- the round trip ----------------------------------------------------------------------------------------------
def test_every_catalog_file_is_exported_and_the_glossary_too(po_dir: Path) -> None:
    names = {p.name for p in po_dir.glob("*.po")}
    assert {"core.messages.po", "core.errors.po", "core.glossary.po", "jurisdictions.xiamen.po"} <= names
    with_texts = {c.po_name for c in PO.load_catalogs()}
    assert names == with_texts
    assert len(with_texts) >= 20


def test_export_then_import_unchanged_keeps_every_catalog_byte_for_byte(
    po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(po_dir, root) == 0
    assert _changed(root) == {}
    assert "0 Chinese texts changed in 0 catalog files" in capsys.readouterr().out


def test_every_text_reads_back_as_it_is_in_its_catalog(po_dir: Path) -> None:
    """The .po writer and reader agree on every text (quotes, backslashes, newlines included)."""
    texts = {t.context: t for c in PO.load_catalogs() for t in c.texts}
    read = {}
    for po in sorted(po_dir.glob("*.po")):
        for entry in PO.read_po(po.read_text(encoding="utf-8")):
            if entry.context is not None:
                read[entry.context] = (entry.msgid, entry.msgstr)
    assert read == {code: (t.en, t.zh) for code, t in texts.items()}
    assert any("\n" in t.zh for t in texts.values())  # a multi-line text is among them


def test_writing_every_chinese_text_again_changes_no_byte() -> None:
    """The in-place writer writes each ``zh`` string as the catalogs already write it."""
    for catalog in PO.load_catalogs():
        assert PO.rewrite(catalog, {t.path: t.zh for t in catalog.texts}) == catalog.source, catalog.rel


def test_entries_say_where_they_come_from_and_what_the_placeholders_are(po_dir: Path) -> None:
    text = (po_dir / "jurisdictions.xiamen.po").read_text(encoding="utf-8")
    assert '"Language: zh_CN\\n"' in text
    block = next(b for b in text.split("\n\n") if 'msgctxt "xiamen.construction.eligible"' in b)
    assert "#. catalog src/tuoyu_rules/jurisdictions/xiamen.toml" in block
    assert "#. {amount:range}: an amount or a range of amounts: 5万~10万元" in block
    assert "#. {@zijian_ziban}: the glossary term 自建自办" in block
    assert "#: src/tuoyu_rules/jurisdictions/xiamen.toml:" in block
    glossary = (po_dir / "core.glossary.po").read_text(encoding="utf-8")
    assert 'msgctxt "glossary:field.places"\nmsgid "places"\nmsgstr "托位数"' in glossary


def test_the_english_export_leaves_msgstr_empty_and_is_not_imported_as_chinese(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    PO.export(tmp_path / "en", "en")
    entries = PO.read_po((tmp_path / "en" / "core.messages.po").read_text(encoding="utf-8"))
    assert PO.header_fields(entries)["Language"] == "en"
    assert {e.msgstr for e in entries if e.context is not None} == {""}
    assert _import(tmp_path / "en", root) == 2
    assert "only Chinese (zh) translations are imported" in capsys.readouterr().err
    assert _changed(root) == {}


# -- a translation changed ---------------------------------------------------------------------------------------
def test_a_changed_translation_changes_exactly_its_line(po_dir: Path, root: Path) -> None:
    code = "xiamen.construction.no_amount"
    _edit(po_dir, "jurisdictions.xiamen.po", code, 'msgstr "{on:date}无适用的建设补助金额"')
    assert _import(po_dir, root) == 0
    old = "{on:date}没有适用的建设补助金额"
    assert _changed(root) == {"jurisdictions/xiamen.toml": [(f'zh = "{old}"', 'zh = "{on:date}无适用的建设补助金额"')]}
    data = tomllib.loads((root / "jurisdictions/xiamen.toml").read_text(encoding="utf-8"))
    assert data["messages"][code]["zh"] == "{on:date}无适用的建设补助金额"


def test_a_glossary_term_in_an_inline_table_changes_in_place(po_dir: Path, root: Path) -> None:
    _edit(po_dir, "core.glossary.po", "glossary:field.places", 'msgstr "托位数量"')
    assert _import(po_dir, root) == 0
    assert _changed(root) == {
        "core/glossary.toml": [
            ('places = { zh = "托位数", en = "places" }', 'places = { zh = "托位数量", en = "places" }')
        ]
    }


def test_strings_as_editors_write_them_are_read(po_dir: Path, root: Path) -> None:
    """Poedit and Weblate wrap long strings over several lines, keep translator comments, previous texts (``#|``)
    and obsolete entries (``#~``); quotes and backslashes are escaped."""
    _edit(
        po_dir,
        "jurisdictions.xiamen.po",
        "xiamen.construction.no_amount",
        '# a translator\'s comment\nmsgstr ""\n"{on:date}没有\\"适用\\"的"\n"建设补助金额\\\\"',
    )
    with (po_dir / "jurisdictions.xiamen.po").open("a", encoding="utf-8") as po:
        po.write('\n#| msgid "an older text"\n#~ msgctxt "xiamen.gone"\n#~ msgid "gone"\n#~ msgstr "旧"\n')
    assert _import(po_dir, root) == 0
    [(_, line)] = _changed(root)["jurisdictions/xiamen.toml"]
    assert line == 'zh = "{on:date}没有\\"适用\\"的建设补助金额\\\\"'
    data = tomllib.loads((root / "jurisdictions/xiamen.toml").read_text(encoding="utf-8"))
    assert data["messages"]["xiamen.construction.no_amount"]["zh"] == '{on:date}没有"适用"的建设补助金额\\'


def test_a_multi_line_text_keeps_its_newline(po_dir: Path, root: Path) -> None:
    entry = next(t for c in PO.load_catalogs() for t in c.texts if "\n" in t.zh)
    first, _, rest = entry.zh.partition("\n")
    catalog = next(c.po_name for c in PO.load_catalogs() if entry in c.texts)
    _edit(po_dir, catalog, entry.context, f'msgstr ""\n"{first}\\n"\n"{rest}。"')
    assert _import(po_dir, root) == 0
    [(_, line)] = next(iter(_changed(root).values()))
    assert line.endswith("\\n" + rest + '。"')


DEMO = '''# a comment: zh = "not a text"
title = """
zh = "not a catalog text either"
"""

[messages]
"demo.one" = { zh = "第一{n}", en = "first {n}" }  # a comment

[messages."demo.two"]
en = 'second {n}'
zh = "第二{n}"  # a comment
'''


def test_other_ways_of_writing_toml_are_edited_in_place(tmp_path: Path) -> None:
    """A code as a key of an inline table, a literal string, comments after a value, a multi-line string."""
    root = tmp_path / "pkg"
    (root / "core").mkdir(parents=True)
    shutil.copyfile(PACKAGE / "core" / "glossary.toml", root / "core" / "glossary.toml")
    (root / "demo").mkdir()
    (root / "demo" / "messages.toml").write_text(DEMO, encoding="utf-8")
    PO.export(tmp_path / "po", "zh", root)
    _edit(tmp_path / "po", "demo.messages.po", "demo.one", 'msgstr "其一{n}"')
    _edit(tmp_path / "po", "demo.messages.po", "demo.two", 'msgstr "其二{n}"')
    assert _import(tmp_path / "po", root) == 0
    expected = DEMO.replace('zh = "第一{n}"', 'zh = "其一{n}"').replace('zh = "第二{n}"', 'zh = "其二{n}"')
    assert (root / "demo" / "messages.toml").read_text(encoding="utf-8") == expected
    assert (root / "core" / "glossary.toml").read_bytes() == (PACKAGE / "core" / "glossary.toml").read_bytes()


def test_check_reports_without_writing(po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(po_dir, "core.glossary.po", "glossary:field.places", 'msgstr "托位数量"')
    assert _import(po_dir, root, "--check") == 0
    assert "1 Chinese texts changed in 1 catalog files; nothing written (--check)" in capsys.readouterr().out
    assert _changed(root) == {}


# -- refused and left out ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("msgstr", "problem"),
    [
        ("没有适用的建设补助金额", "the parameters are not the English template's: missing {on}"),
        ("{day:date}没有适用的建设补助金额", "template's: missing {on}; unknown {day}"),
        ("{on:date}{amount:money}没有适用的建设补助金额", "template's: unknown {amount}"),
        ("{on:dat}没有适用的建设补助金额", "is not a parameter with a known kind"),
        ("{on:date}没有适用的建设补助金额{", "the translation:"),
        ("{on!r}没有适用的建设补助金额", "is not a parameter with a known kind"),
        ("{on:date}没有适用的subsidy", "Latin letters outside the placeholders: subsidy"),
        ("{on:date}没有{@no_such_term}", "{@no_such_term} is not a term of the glossary"),
    ],
)
def test_a_bad_translation_is_refused_and_nothing_is_written(
    po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str], msgstr: str, problem: str
) -> None:
    _edit(po_dir, "core.glossary.po", "glossary:field.places", 'msgstr "托位数量"')  # a good change, not written
    _edit(po_dir, "jurisdictions.xiamen.po", "xiamen.construction.no_amount", f'msgstr "{msgstr}"')
    assert _import(po_dir, root) == 2
    err = capsys.readouterr().err.strip().split("\n")
    assert len(err) == 1
    assert err[0].startswith("jurisdictions.xiamen.po:")
    assert ": xiamen.construction.no_amount: " in err[0]
    assert problem in err[0]
    assert _changed(root) == {}


def test_each_problem_is_one_line(po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(po_dir, "jurisdictions.xiamen.po", "xiamen.construction.no_amount", 'msgstr "没有ABC"')
    _edit(po_dir, "core.glossary.po", "glossary:field.places", 'msgstr "places"')
    _edit(po_dir, "core.messages.po", "core.not_in_force.from", 'msgstr "x"', msgid='"changed English"')
    _edit(po_dir, "core.messages.po", "core.not_in_force.until", 'msgstr "{on:date}"', flags="fuzzy")
    assert _import(po_dir, root) == 2
    err = capsys.readouterr().err.strip().split("\n")
    assert len(err) == 4
    assert "glossary:field.places: Latin letters outside the placeholders: places" in err[0]
    assert "core.not_in_force.from: the English is no longer the catalog's; export again" in err[1]
    assert "xiamen.construction.no_amount: the parameters are not the English template's: missing {on}" in err[2]
    assert "Latin letters outside the placeholders: ABC" in err[3]


def test_a_fuzzy_entry_is_not_imported_and_is_reported(
    po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(po_dir, "jurisdictions.xiamen.po", "xiamen.construction.no_amount", 'msgstr "{on:date}无补助"', flags="fuzzy")
    _edit(po_dir, "core.glossary.po", "glossary:field.places", 'msgstr "托位数量"')
    assert _import(po_dir, root) == 0
    out = capsys.readouterr().out
    assert "xiamen.construction.no_amount: marked fuzzy, not imported" in out
    assert "1 Chinese texts changed in 1 catalog files" in out
    assert list(_changed(root)) == ["core/glossary.toml"]


def test_an_unknown_code_or_an_empty_translation(po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(po_dir, "jurisdictions.xiamen.po", "xiamen.construction.no_amount", 'msgstr ""')
    assert _import(po_dir, root) == 0
    assert "1 untranslated entries left as they are" in capsys.readouterr().out
    text = (po_dir / "jurisdictions.xiamen.po").read_text(encoding="utf-8")
    (po_dir / "jurisdictions.xiamen.po").write_text(text.replace('"xiamen.construction.no_amount"', '"xiamen.gone"'))
    assert _import(po_dir, root) == 2
    assert "xiamen.gone: no such code in the catalogs" in capsys.readouterr().err
    assert _changed(root) == {}


def test_a_file_that_is_not_po_is_refused(po_dir: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (po_dir / "broken.po").write_text('msgid "a"\nmsgstr "b\nwhat\n', encoding="utf-8")
    assert _import(po_dir, root) == 2
    assert capsys.readouterr().err.startswith("broken.po: line 2: not a quoted string")


# -- valid gettext -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_exported_files_are_valid_gettext(tmp_path: Path, lang: str) -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    PO.export(tmp_path, lang)
    texts = {t.context: t for c in PO.load_catalogs() for t in c.texts}
    read = {}
    for po in sorted(tmp_path.glob("*.po")):
        with po.open("rb") as f:
            catalog = pofile.read_po(f, abort_invalid=True)
        assert str(catalog.locale) == ("zh_Hans_CN" if lang == "zh" else "en")
        for message in catalog:
            if message.id:
                assert not message.fuzzy
                assert message.locations
                assert message.locations[0][0].startswith("src/tuoyu_rules/")
                read[message.context] = (message.id, message.string)
    assert read == {code: (t.en, t.zh if lang == "zh" else "") for code, t in texts.items()}


def test_the_command_runs_as_a_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "catalogs_po.py"), "export", "--lang", "zh", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "core.glossary.po").exists()
