"""The message catalogs as gettext ``.po`` files, for translators' editors (Poedit, Weblate, Lokalize...), and back.

    python tools/catalogs_po.py export --lang zh OUT_DIR   # one .po file per catalog file, msgstr = the Chinese
    python tools/catalogs_po.py export --lang en OUT_DIR   # the same with msgstr empty: a template to translate
    python tools/catalogs_po.py import IN_DIR              # the translated Chinese back into the TOML catalogs

A catalog file is a TOML file of the package with a ``[messages]`` table (``core/messages.toml``,
``core/errors*.toml``, ``<package>/messages.toml``, each jurisdiction's data file), or the glossary
(``core/glossary.toml``). Each text is one entry: ``msgctxt`` is the code (``glossary:<key>`` for a term),
``msgid`` the English template, ``msgstr`` the Chinese one; ``#.`` comments name the catalog file and explain each
placeholder, ``#:`` gives the catalog's path and line.

``import`` reads every ``.po`` file under IN_DIR and finds each entry's catalog by its code. It changes only the
``zh = "..."`` strings of the entries whose translation changed, every other byte of each TOML file kept. An entry
marked ``fuzzy`` or left empty is not imported (a fuzzy one is reported). A translation is refused, and nothing is
written, when its placeholders are not the English template's parameters, when it names an unknown kind or
glossary term, when its text outside the placeholders has a Latin letter, or when its English (``msgid``) is no
longer the catalog's: one line per problem on standard error, exit status 2. ``--check`` checks without writing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuoyu_rules.core.errors import PolicyDataError
from tuoyu_rules.core.templates import Segment, parse_catalog, parse_template, parse_terms, template_params
from tuoyu_rules.core.version import __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "tuoyu_rules"
GLOSSARY = "core/glossary.toml"
GLOSSARY_CONTEXT = "glossary:"
LATIN = re.compile(r"[A-Za-z]+")
LATIN_ALLOWED = ("plugin.text", "glossary:rounding.")
"""Texts whose Chinese may hold Latin letters, as ``tests/test_messages.py`` allows: a plugin's own text (shown as
the plugin gave it), and the glossary's rounding modes, which that test leaves out too."""
LANGUAGE = {"zh": "zh_CN", "en": "en"}
PLURAL_FORMS = {"zh": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}

KIND_HELP = {
    "": "a value put in as given (an id, a number, a text)",
    "money": "an amount: 5万元, 9,600元 in Chinese; 50,000 yuan in English",
    "range": "an amount or a range of amounts: 5万~10万元, 不低于5万元; 50,000 to 100,000 yuan",
    "date": "a day: 2024年6月1日; 2024-06-01",
    "month": "a month: 2024年6月; 2024-06",
    "count": "a whole number with thousands separators: 1,200",
    "plural": "a number; in English followed by the singular or the plural word after the kind",
    "term": "the glossary term {group}.<value> (core/glossary.toml), in the text's language",
    "field": "a facility field: 托位数（places） in Chinese; places in English",
    "fields": "facility fields, joined with 、 in Chinese and with commas in English",
    "program": "a programme's name (its Chinese name in Chinese)",
    "payer": "a payer's name",
    "jurisdiction": "a jurisdiction's name",
    "designation": "a designation's name",
    "jurisdictions": "jurisdictions' names, joined with 、 in Chinese",
    "payments": "payments: 2023年7月1日8万元 in Chinese; 80,000 yuan on 2023-07-01",
}


@dataclass(frozen=True)
class Text:
    """One translatable text of a catalog file: its ``msgctxt``, the TOML path of its ``zh``/``en`` table, both."""

    context: str
    path: tuple[str, ...]
    en: str
    zh: str


@dataclass(frozen=True)
class CatalogFile:
    rel: str
    """The path under the package (``jurisdictions/xiamen.toml``)."""
    file: Path
    source: str
    texts: tuple[Text, ...]
    spans: dict[tuple[str, ...], tuple[int, int, int]]
    """TOML path of a one-line string (``("messages", code, "zh")``) -> (line index, start, end of the literal)."""

    @property
    def reference(self) -> str:
        return f"src/tuoyu_rules/{self.rel}"

    @property
    def po_name(self) -> str:
        return self.rel.removesuffix(".toml").replace("/", ".") + ".po"


# -- the TOML catalogs -----------------------------------------------------------------------------------------
def load_catalogs(root: Path = PACKAGE) -> list[CatalogFile]:
    """Every catalog file under ``root`` with a text in it, checked as the library checks it, in path order."""
    found: list[CatalogFile] = []
    for file in sorted(root.rglob("*.toml"), key=lambda p: p.relative_to(root).as_posix()):
        rel = file.relative_to(root).as_posix()
        source = file.read_bytes().decode("utf-8")
        data = tomllib.loads(source)
        texts = catalog_texts(rel, data)
        if texts:
            catalog = CatalogFile(rel, file, source, texts, scan(source))
            for text in texts:
                if (*text.path, "zh") not in catalog.spans or (*text.path, "en") not in catalog.spans:
                    raise PolicyDataError(f"{rel}: {text.context}: zh and en are one-line strings")
            found.append(catalog)
    return found


def catalog_texts(rel: str, data: dict[str, Any]) -> tuple[Text, ...]:
    """The texts of the TOML data of the file ``rel`` (none when it is not a catalog), checked as the library checks
    them (both languages, the same parameters in both, known kinds): a PolicyDataError otherwise."""
    if rel == GLOSSARY:
        parse_terms(data, rel)
        return tuple(_terms(data, ()))
    if not isinstance(data.get("messages"), dict):
        return ()
    parse_catalog(data["messages"], rel)
    return tuple(Text(code, ("messages", code), value["en"], value["zh"]) for code, value in data["messages"].items())


def _terms(table: dict[str, Any], prefix: tuple[str, ...]) -> Iterator[Text]:
    for key, value in table.items():
        if isinstance(value, dict) and set(value) == {"zh", "en"} and all(isinstance(v, str) for v in value.values()):
            path = (*prefix, key)
            yield Text(GLOSSARY_CONTEXT + ".".join(path), path, value["en"], value["zh"])
        elif isinstance(value, dict):
            yield from _terms(value, (*prefix, key))


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _string(line: str, i: int) -> tuple[str, int] | None:
    """The one-line TOML string starting at ``line[i]``: its value and the index after it."""
    quote = line[i : i + 1]
    if quote not in ('"', "'") or line.startswith(quote * 3, i):
        return None
    j = i + 1
    while j < len(line) and line[j] != quote:
        j += 2 if quote == '"' and line[j] == "\\" else 1
    try:
        value: str = tomllib.loads(f"s = {line[i : j + 1]}")["s"]
    except tomllib.TOMLDecodeError:
        return None
    return value, j + 1


def _key(line: str, i: int) -> tuple[tuple[str, ...], int] | None:
    """The (dotted) key starting at ``line[i]``: its parts and the index after it and its spaces."""
    parts: list[str] = []
    while True:
        i = len(line) - len(line[i:].lstrip(" \t"))
        quoted = _string(line, i)
        bare = _BARE.match(line, i)
        if quoted is not None:
            parts.append(quoted[0])
            i = quoted[1]
        elif bare is not None:
            parts.append(bare.group())
            i = bare.end()
        else:
            return None
        i = len(line) - len(line[i:].lstrip(" \t"))
        if not line.startswith(".", i):
            return tuple(parts), i
        i += 1


def scan(source: str) -> dict[tuple[str, ...], tuple[int, int, int]]:
    """Where each one-line string value of a TOML text is (``key = "..."``, and inside ``key = { a = "...", ... }``):
    enough to change a string in place. A multi-line string is skipped; an edit is checked by parsing it again."""
    spans: dict[tuple[str, ...], tuple[int, int, int]] = {}
    table: tuple[str, ...] = ()
    closing: str | None = None
    for n, line in enumerate(source.split("\n")):
        if closing is not None:
            closing = None if closing in line else closing
            continue
        stripped = line.strip()
        if stripped.startswith("[["):
            table = ("[[]]",)  # an array of tables holds no catalog text
            continue
        if stripped.startswith("["):
            header = _key(line, line.index("[") + 1)
            table = header[0] if header is not None else ("[?]",)
            continue
        found = _key(line, 0)
        if found is None or not line.startswith("=", found[1]):
            continue
        key, i = table + found[0], found[1] + 1
        i = len(line) - len(line[i:].lstrip(" \t"))
        for delimiter in ('"""', "'''"):
            if line.startswith(delimiter, i) and delimiter not in line[i + 3 :]:
                closing = delimiter
        value = _string(line, i)
        if value is not None:
            spans[key] = (n, i, value[1])
        elif line.startswith("{", i):
            _scan_inline(line, i + 1, key, n, spans)
    return spans


def _scan_inline(line: str, i: int, table: tuple[str, ...], n: int, spans: dict[tuple[str, ...], Any]) -> None:
    while (found := _key(line, i)) is not None and line.startswith("=", found[1]):
        i = len(line) - len(line[found[1] + 1 :].lstrip(" \t"))
        value = _string(line, i)
        if value is None:
            return
        spans[table + found[0]] = (n, i, value[1])
        i = len(line) - len(line[value[1] :].lstrip(" \t"))
        if not line.startswith(",", i):
            return
        i += 1


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
    out = (escapes.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in text)
    return '"' + "".join(out) + '"'


def rewrite(catalog: CatalogFile, changes: dict[tuple[str, ...], str]) -> str:
    """The catalog's text with the ``zh`` string of each text path in ``changes`` replaced, every other byte kept;
    checked by parsing it again (the data must differ by those strings only)."""
    lines = catalog.source.split("\n")
    expected = tomllib.loads(catalog.source)
    for path, zh in changes.items():
        n, start, end = catalog.spans[(*path, "zh")]
        lines[n] = lines[n][:start] + toml_string(zh) + lines[n][end:]
        table = expected
        for part in path:
            table = table[part]
        table["zh"] = zh
    text = "\n".join(lines)
    if tomllib.loads(text) != expected:
        raise PolicyDataError(f"{catalog.rel}: an edit in place would change more than the Chinese texts")
    catalog_texts(catalog.rel, expected)
    return text


# -- the .po files ---------------------------------------------------------------------------------------------
def po_string(text: str) -> str:
    """``text`` as a .po string: one line, or ``""`` then one line per line of the text (as gettext writes it)."""

    def quoted(part: str) -> str:
        escaped = part.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + '"'

    parts = [part for part in re.split(r"(?<=\n)", text) if part]
    return quoted(text) if len(parts) <= 1 else '""\n' + "\n".join(quoted(p) for p in parts)


def _placeholders(texts: Sequence[str]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for text in texts:
        for _, name, spec in parse_template(text, "catalog"):
            if name is not None:
                seen[(name, spec)] = None
    return list(seen)


def comments(catalog: CatalogFile, text: Text, terms: dict[str, tuple[str, str]]) -> list[str]:
    """The ``#.`` lines of an entry: its catalog file, then one line per placeholder."""
    lines = [f"catalog {catalog.reference}"]
    if text.context.startswith(GLOSSARY_CONTEXT):
        group, _, value = text.context[len(GLOSSARY_CONTEXT) :].rpartition(".")
        shown = "{x:field}" if group == "field" else f"{{x:term:{group}}}"
        named = f"what {shown} shows for the value {value}" if group else f"{{@{value}}} in the templates"
        return [*lines, f"a glossary term: {named}; translated once, used by every text that names it"]
    for name, spec in _placeholders((text.en, text.zh)):
        shown = "{" + name + (f":{spec}" if spec else "") + "}"
        if name.startswith("@"):
            zh, en = terms.get(name[1:], ("?", "?"))
            lines.append(f"{shown}: the glossary term {zh} ({en}), kept as written")
            continue
        kind, _, group = spec.partition(":")
        helped = KIND_HELP.get(kind, "a value")
        lines.append(f"{shown}: {helped.format(group=group)}")
    return lines


def export(out_dir: Path, lang: str, root: Path = PACKAGE) -> list[Path]:
    """Write one .po file per catalog file into ``out_dir``; the files written."""
    catalogs = load_catalogs(root)
    glossary = next((c for c in catalogs if c.rel == GLOSSARY), None)
    terms = {t.context[len(GLOSSARY_CONTEXT) :]: (t.zh, t.en) for t in glossary.texts} if glossary else {}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for catalog in catalogs:
        header = [
            f"Project-Id-Version: tuoyu_rules {__version__}",
            f"Language: {LANGUAGE[lang]}",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit",
            f"Plural-Forms: {PLURAL_FORMS[lang]}",
        ]
        out = [
            f"# The texts of {catalog.reference} ({'Chinese' if lang == 'zh' else 'English'}).",
            "# Keep every {placeholder} as written; the Chinese has no Latin letters outside them.",
            "# Read back with: python tools/catalogs_po.py import DIR",
            'msgid ""',
            'msgstr ""',
            *(f'"{h}\\n"' for h in header),
        ]
        for text in catalog.texts:
            line = catalog.spans[(*text.path, lang)][0] + 1
            out.append("")
            out.extend(f"#. {c}" for c in comments(catalog, text, terms))
            out.append(f"#: {catalog.reference}:{line}")
            out.append(f"msgctxt {po_string(text.context)}")
            out.append(f"msgid {po_string(text.en)}")
            out.append(f"msgstr {po_string(text.zh if lang == 'zh' else '')}")
        target = out_dir / catalog.po_name
        target.write_bytes(("\n".join(out) + "\n").encode("utf-8"))
        written.append(target)
    return written


@dataclass
class PoEntry:
    """An entry of a .po file as read: where it starts, its context, texts, flags and references."""

    line: int
    context: str | None = None
    msgid: str | None = None
    msgstr: str | None = None
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    plural: bool = False
    obsolete: bool = False


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_PO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PO_ESCAPE = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)")


def _unquote(text: str) -> str:
    match = _PO_STRING.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a quoted string: {text.strip()}")

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "01234567":
            return chr(int(code, 8))
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code not in _ESCAPES:
            raise ValueError(f"unknown escape \\{code}")
        return _ESCAPES[code]

    return _PO_ESCAPE.sub(one, match.group(1))


def read_po(text: str) -> list[PoEntry]:
    """The entries of a .po text (the header's too, obsolete ``#~`` entries left out); ValueError naming the line
    of a syntax error."""
    entries: list[PoEntry] = []
    entry = PoEntry(1)
    last: str | None = None  # the keyword the next continuation string belongs to

    def done(start: int) -> None:
        nonlocal entry, last
        if entry.msgid is not None and not entry.obsolete:
            entries.append(entry)
        entry, last = PoEntry(start), None

    lines = text.split("\n")
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith(("#", "msgctxt ", "msgid ")) and entry.msgstr is not None:
            done(n)
        if not line:
            if entry.msgid is not None or entry.obsolete:
                done(n + 1)
            else:
                entry.line = n + 1
            continue
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#:"):
            entry.references.extend(line[2:].split())
        elif line.startswith("#"):
            pass  # translator, extracted and previous-text (#|) comments
        elif line.startswith('"') and last is not None:
            try:
                setattr(entry, last, getattr(entry, last) + _unquote(line))
            except ValueError as exc:
                raise ValueError(f"line {n}: {exc}") from None
        else:
            keyword, _, rest = line.partition(" ")
            name = {"msgctxt": "context", "msgid": "msgid", "msgid_plural": "msgid", "msgstr": "msgstr"}.get(keyword)
            if keyword.startswith("msgstr["):
                name, entry.plural = "msgstr", True
            if name is None:
                raise ValueError(f"line {n}: not .po syntax: {line[:40]}")
            try:
                value = _unquote(rest)
            except ValueError as exc:
                raise ValueError(f"line {n}: {exc}") from None
            if keyword == "msgid_plural" or (name == "msgstr" and entry.msgstr is not None):
                entry.plural = True
                last = None
                continue
            setattr(entry, name, value)
            last = name
    done(len(lines) + 1)
    return entries


def header_fields(entries: Sequence[PoEntry]) -> dict[str, str]:
    for entry in entries:
        if entry.context is None and entry.msgid == "":
            pairs = (line.partition(":") for line in (entry.msgstr or "").split("\n"))
            return {key.strip(): value.strip() for key, sep, value in pairs if sep}
    return {}


# -- import ----------------------------------------------------------------------------------------------------
def _names(params: frozenset[str]) -> str:
    return ", ".join("{" + p + "}" for p in sorted(params))


def check(text: Text, zh: str, terms: frozenset[str]) -> list[str]:
    """What is wrong with ``zh`` as the Chinese of ``text``, by the catalogs' rules (nothing: it may be imported)."""
    problems: list[str] = []
    literal = zh
    if not text.context.startswith(GLOSSARY_CONTEXT):
        try:
            segments: tuple[Segment, ...] = parse_template(zh, "the translation")
        except PolicyDataError as exc:
            return [str(exc)]
        ours, english = template_params(segments), template_params(parse_template(text.en, text.context))
        if ours != english:
            missing, unknown = _names(english - ours), _names(ours - english)
            differ = [f"missing {missing}"] * bool(missing) + [f"unknown {unknown}"] * bool(unknown)
            problems.append("the parameters are not the English template's: " + "; ".join(differ))
        for _, name, spec in segments:
            kind, _, group = spec.partition(":")
            if name is not None and name.startswith("@") and name[1:] not in terms:
                problems.append(f"{{{name}}} is not a term of the glossary")
            elif kind == "term" and not any(t.startswith(f"{group}.") for t in terms):
                problems.append(f"{{{name}:{spec}}}: the glossary has no terms under {group}.")
        literal = "".join(segment[0] for segment in segments)
    letters = LATIN.findall(literal)
    if letters and not text.context.startswith(LATIN_ALLOWED):
        problems.append(f"Latin letters outside the placeholders: {' '.join(letters)}")
    return problems


@dataclass
class Report:
    """What an import found: problems (nothing is written), notes (entries left out), the changes to make."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: dict[str, dict[tuple[str, ...], str]] = field(default_factory=dict)
    untranslated: int = 0

    @property
    def changed(self) -> int:
        return sum(len(c) for c in self.changes.values())


def _find(found: list[tuple[CatalogFile, Text]], entry: PoEntry) -> tuple[CatalogFile, Text] | None:
    """The text an entry is the translation of: by its code, by its reference when a code is in two catalogs."""
    if len(found) == 1:
        return found[0]
    named = {ref.rpartition(":")[0] or ref for ref in entry.references}
    matches = [(c, t) for c, t in found if c.reference in named]
    return matches[0] if len(matches) == 1 else None


def plan(in_dir: Path, root: Path = PACKAGE) -> tuple[list[CatalogFile], Report]:
    """The catalogs and what importing the .po files under ``in_dir`` into them would change, checked."""
    catalogs = load_catalogs(root)
    index: dict[str, list[tuple[CatalogFile, Text]]] = {}
    for catalog in catalogs:
        for text in catalog.texts:
            index.setdefault(text.context, []).append((catalog, text))
    terms = frozenset(t.context[len(GLOSSARY_CONTEXT) :] for c in catalogs if c.rel == GLOSSARY for t in c.texts)
    report = Report()
    if not catalogs:
        report.problems.append(f"{root}: no message catalog there")
    seen: dict[str, tuple[str, str]] = {}
    files = sorted(in_dir.rglob("*.po"))
    if not files:
        report.problems.append(f"{in_dir}: no .po file there")
    for po in files:
        name = po.relative_to(in_dir).as_posix()
        try:
            entries = read_po(po.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            report.problems.append(f"{name}: {exc}")
            continue
        header = header_fields(entries)
        language, charset = header.get("Language", ""), header.get("Content-Type", "charset=UTF-8")
        if language and not language.lower().startswith("zh"):
            report.problems.append(f"{name}: the language is {language}; only Chinese (zh) translations are imported")
            continue
        if "charset=utf-8" not in charset.lower().replace(" ", ""):
            report.problems.append(f"{name}: the file is not UTF-8 ({charset})")
            continue
        for entry in entries:
            if entry.context is None and entry.msgid == "":
                continue  # the header
            where, context = f"{name}:{entry.line}", entry.context
            found = index.get(context or "")
            target = _find(found, entry) if found else None
            if context is None or target is None:
                what = "no code (msgctxt)" if context is None else "no such code in the catalogs"
                report.problems.append(f"{where}: {context or entry.msgid}: {what}")
            elif "fuzzy" in entry.flags:
                report.notes.append(f"{where}: {context}: marked fuzzy, not imported (review it and clear the mark)")
            elif entry.plural:
                report.problems.append(f"{where}: {context}: plural forms are not used by the catalogs")
            elif entry.msgid != target[1].en:
                report.problems.append(f"{where}: {context}: the English is no longer the catalog's; export again")
            elif not entry.msgstr:
                report.untranslated += 1
            else:
                _take(report, seen, where, target, entry.msgstr, terms)
    return catalogs, report


def _take(
    report: Report, seen: dict[str, tuple[str, str]], where: str, target: tuple[CatalogFile, Text], zh: str, terms: Any
) -> None:
    catalog, text = target
    problems = check(text, zh, terms)
    earlier = seen.setdefault(text.context, (where, zh))
    if earlier[1] != zh:
        problems.append(f"translated differently at {earlier[0]}")
    report.problems.extend(f"{where}: {text.context}: {p}" for p in problems)
    if not problems and zh != text.zh:
        report.changes.setdefault(catalog.rel, {})[text.path] = zh


def import_po(in_dir: Path, root: Path = PACKAGE, write: bool = True) -> Report:
    """Import the Chinese of the .po files under ``in_dir`` into the catalogs under ``root``: every file is
    checked and rewritten in memory first, and nothing is written when there is a problem."""
    catalogs, report = plan(in_dir, root)
    texts: dict[Path, str] = {}
    for catalog in catalogs:
        changes = report.changes.get(catalog.rel)
        if changes and not report.problems:
            try:
                texts[catalog.file] = rewrite(catalog, changes)
            except PolicyDataError as exc:
                report.problems.append(str(exc))
    if write and not report.problems:
        for file, text in texts.items():
            file.write_bytes(text.encode("utf-8"))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=PACKAGE, help="the package folder (default: src/tuoyu_rules)")
    parser = argparse.ArgumentParser(prog="catalogs_po.py", description=__doc__.split("\n\n")[0] if __doc__ else "")
    commands = parser.add_subparsers(dest="command", required=True)
    ex = commands.add_parser("export", parents=[common], help="write one .po file per catalog file")
    ex.add_argument("--lang", choices=sorted(LANGUAGE), default="zh", help="zh: msgstr is the Chinese; en: empty")
    ex.add_argument("out_dir", type=Path)
    im = commands.add_parser("import", parents=[common], help="read the Chinese of the .po files back")
    im.add_argument("in_dir", type=Path)
    im.add_argument("--check", action="store_true", help="check the translations, write nothing")
    args = parser.parse_args(argv)
    if args.command == "export":
        written = export(args.out_dir, args.lang, args.root)
        print(f"{len(written)} .po files written to {args.out_dir}")
        return 0
    report = import_po(args.in_dir, args.root, write=not args.check)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        return 2
    for note in report.notes:
        print(note)
    files = len(report.changes)
    summary = f"{report.changed} Chinese texts changed in {files} catalog files"
    summary += f"; {report.untranslated} untranslated entries left as they are" if report.untranslated else ""
    print(summary + ("; nothing written (--check)" if args.check else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
