"""Generate the documentation pages that come from data, not from hand-typed text.

* one page per registered jurisdiction (``jurisdictions/<id>.md``), rendered from ``tr.get_policy(id)``:
  identity, programmes, designations, payers, dated parameters, citations, the codes of its reasons with their
  Chinese and English texts, assumptions and limitations (each data text in English and, beside it, Chinese);
* the jurisdictions index (``jurisdictions/index.md``);
* the glossary (``reference/glossary.md``), from ``src/tuoyu_rules/core/glossary.toml``: every term is
  translated there once, and the page cannot differ from what the messages say;
* one API reference page per public module (``reference/api/<module>.md``, rendered by mkdocstrings);
* the JSON Schema files of the public models (``reference/schema/<Name>.schema.json``) and the page that
  lists them (``reference/schema.md``).

The MkDocs hook ``docs/hooks/generate.py`` calls :func:`generated` at build time, so the pages never go
stale; nothing generated is committed. To look at the pages without MkDocs::

    python tools/gen_docs.py --out /tmp/tuoyu-docs
"""

from __future__ import annotations

import argparse
import importlib.util
import pkgutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import tuoyu_rules as tr
from tuoyu_rules.core.citations import Citation
from tuoyu_rules.core.messages import Catalog, Lang, Segment, core_catalog, glossary
from tuoyu_rules.core.parameters import Parameter
from tuoyu_rules.core.policy import Policy, Program
from tuoyu_rules.io import schema as tr_schema

ROOT = Path(__file__).resolve().parents[1]

JURISDICTIONS_DIR = "jurisdictions"
API_DIR = "reference/api"
SCHEMA_DIR = "reference/schema"
SCHEMA_PAGE = "reference/schema.md"
GLOSSARY_PAGE = "reference/glossary.md"

LEVEL_ORDER = ("national", "province", "city", "district")

KIND_TEXT = {
    "entitlement": "entitlement (money to the facility's employer)",
    "obligation": "matching obligation (配套)",
    "condition": "condition",
    "fee_rule": "fee rule",
    "compliance": "compliance rule",
    "family": "family benefit",
}

BASIS_TEXT = {
    "one_time": "one-time",
    "per_year": "per year",
    "per_month": "per month",
    "per_child_month": "per child per month",
}

API_MODULES: tuple[tuple[str, str], ...] = (
    ("core.engine", "assess"),
    ("core.models", "Input models"),
    ("core.results", "Results"),
    ("core.amounts", "Amount ranges"),
    ("core.money", "Money"),
    ("core.citations", "Citations"),
    ("core.parameters", "Parameters"),
    ("core.policy", "Policies and programmes"),
    ("core.context", "Rule context"),
    ("core.loading", "Loading policies"),
    ("core.registry", "Registry and plugins"),
    ("core.reforms", "Reforms (what-if)"),
    ("core.errors", "Errors"),
    ("whatif", "What-if"),
    ("whatif.projection", "Projections"),
    ("whatif.budgets", "Budgets"),
    ("families", "Families and parents"),
    ("compliance", "Compliance checks"),
    ("compliance.findings", "Compliance findings"),
    ("batch", "Batch assessment"),
    ("io.export", "Export"),
    ("io.schema", "JSON Schema"),
    ("cli.app", "Command line"),
    ("cli.schema", "tuoyu schema"),
)
"""Preferred order (within its package) and nav titles of the API pages; a module not listed here comes after
the listed ones of its package, by name, titled by its dotted name.
Only modules that exist get a page, so a module added later appears without an edit here."""

_PACKAGE_ORDER = ("core", "families", "compliance", "batch", "io", "whatif", "cli")
"""API pages come package by package, in the order of the layers (docs/concepts/architecture.md)."""

_SKIP_MODULES = frozenset({"examples", "jurisdictions", "cli.__main__"})


# -- Markdown helpers ---------------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Escape text for Markdown (inline and table cells): no accidental emphasis, links, HTML or columns."""
    s = str(text)
    s = s.replace("\\", "\\\\")
    for ch in "`*_[]|#":
        s = s.replace(ch, "\\" + ch)
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\n", " ")


def code(text: object) -> str:
    """Inline code (ids, parameter names)."""
    s = str(text)
    return f"`` {s} ``" if "`" in s else f"`{s}`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def page_link(jurisdiction_id: str, from_dir: str = JURISDICTIONS_DIR) -> str:
    """Relative link to a jurisdiction page from a page in ``from_dir``."""
    if from_dir == JURISDICTIONS_DIR:
        return f"{jurisdiction_id}.md"
    return f"../{JURISDICTIONS_DIR}/{jurisdiction_id}.md"


def anchor(kind: str, ident: str) -> str:
    """An explicit heading id (attr_list): ``anchor("cite", "cn.seed_award") == "cite-cn-seed_award"``."""
    return f"{kind}-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in ident)


# -- jurisdictions ------------------------------------------------------------------------------------------


def policies() -> list[Policy]:
    """Every registered jurisdiction's policy, bundled and plugin, by id."""
    return [tr.get_policy(j) for j in tr.list_jurisdictions()]


def _cite_links(ids: Iterable[str], known: set[str]) -> str:
    parts = []
    for cid in ids:
        parts.append(f"[{code(cid)}](#{anchor('cite', cid)})" if cid in known else code(cid))
    return ", ".join(parts) or "-"


def both(en: str, zh: str | None) -> str:
    """A data text in English, and under it its Chinese (``..._zh``) when the data gives one."""
    return esc(en) + (f"<br>{esc(zh)}" if zh else "")


def _bullets(texts: Sequence[str], texts_zh: Sequence[str], prefix: Sequence[str] = ()) -> list[str]:
    """One bullet per text, in English and Chinese (a ``_zh`` list follows its English one, text by text)."""
    zh = list(texts_zh) or [""] * len(texts)
    heads = list(prefix) or [""] * len(texts)
    return [f"- {head}{both(en, z)}" for head, en, z in zip(heads, texts, zh, strict=True)]


def _program_section(p: Program, policy: Policy, known_cites: set[str]) -> list[str]:
    out = [f"### {esc(p.name_en)} {{#{anchor('prog', p.id)}}}", "", f"{code(p.id)}, {esc(p.name_zh)}", ""]
    rows: list[tuple[str, str]] = [("kind", esc(KIND_TEXT.get(p.kind, p.kind)))]
    if p.payer is not None:
        payer = policy.payers.get(p.payer)
        name = f" ({esc(payer.name_zh)}, {esc(payer.name_en)})" if payer is not None else ""
        if "{" in p.payer:
            name = " (the layer of that level above the facility's jurisdiction)"
        rows.append(("payer", code(p.payer) + name))
    if p.basis is not None:
        rows.append(("basis", f"{code(p.basis)}: {BASIS_TEXT.get(p.basis, p.basis)}"))
    rows.append(("dates", esc(p.dates())))
    if p.designation is not None:
        spec = policy.designation(p.designation)
        label = f" ({esc(spec.name_zh)}, {esc(spec.name_en)})" if spec is not None else ""
        rows.append(("designation", code(p.designation) + label))
    if p.matches is not None:
        rows.append(("matches", code(p.matches)))
    rows.append(("rests on", _cite_links(p.base_cites, known_cites)))
    refinements = [c.id for c in p.citations if c.id not in p.base_cites]
    if refinements:
        rows.append(("refined by", _cite_links(refinements, known_cites)))
    out += table(("", ""), rows)
    out.append("")
    if p.assumptions:
        out += ["Assumptions:", "", *_bullets(p.assumptions, p.assumptions_zh), ""]
    if p.notes:
        out += ["Notes:", "", *_bullets(p.notes, p.notes_zh), ""]
    return out


def _parameter_section(name: str, param: Parameter, known_cites: set[str]) -> list[str]:
    out = [f"### {code(name)} {{#{anchor('param', name)}}}", "", esc(param.description), ""]
    if param.description_zh:
        out += [esc(param.description_zh), ""]
    rows = []
    for v in param.values:
        rows.append(
            (
                esc(v.period()),
                code(v.kind),
                esc(v.render()),
                _cite_links(v.cites, known_cites),
                both(v.note or "", v.note_zh),
            )
        )
    out += table(("batch or dates", "kind", "value", "citations", "note"), rows)
    out.append("")
    return out


def _citation_section(c: Citation) -> list[str]:
    out = [f"### {code(c.id)} {{#{anchor('cite', c.id)}}}", ""]
    rows: list[tuple[str, str]] = [
        ("source", esc(c.source)),
        ("title", esc(c.title)),
        ("clause", esc(c.clause)),
        ("confidence", code(c.confidence)),
    ]
    if c.issuer:
        rows.append(("issuer", esc(c.issuer)))
    if c.published is not None:
        rows.append(("published", c.published.isoformat()))
    if c.where:
        rows.append(("where", esc(c.where)))
    if c.number:
        rows.append(("document number (文号)", esc(c.number)))
    zh = {"source": c.source_zh, "title": c.title_zh, "clause": c.clause_zh, "issuer": c.issuer_zh, "where": c.where_zh}
    rows = [r for label, text in rows for r in ((label, text), (f"{label} (zh)", esc(zh.get(label) or ""))) if r[1]]
    if c.url:
        rows.append(("address", f"<{c.url}>"))
    out += table(("", ""), rows)
    out.append("")
    if c.quote:
        out += ["Quote (the source's own words):", "", f"> {esc(c.quote)}", ""]
    if c.summary:
        out += ["Summary (in our words; no quote was seen):", "", f"> {esc(c.summary)}", ""]
    if c.summary_zh:
        out += ["摘要（中文，本库转述，原文未见）：", "", f"> {esc(c.summary_zh)}", ""]
    return out


def jurisdiction_page(policy: Policy, all_policies: Sequence[Policy]) -> str:
    """The Markdown page of one jurisdiction, from its policy data only."""
    ids = {p.id for p in all_policies}
    by_id = {p.id: p for p in all_policies}
    known_cites = set(policy.citations)
    lines = [
        "<!-- Generated from the jurisdiction's data by tools/gen_docs.py; do not edit. -->",
        "",
        f"# {esc(policy.name_zh)} {esc(policy.name_en)}",
        "",
    ]
    parent = (
        f"[{code(policy.parent)}]({page_link(policy.parent)})"
        if policy.parent in ids
        else (code(policy.parent) if policy.parent else "none")
    )
    layers = []
    current: str | None = policy.id
    while current is not None and current in by_id and current not in layers:
        layers.append(current)
        current = by_id[current].parent
    children = sorted(p.id for p in all_policies if p.parent == policy.id)
    identity = [
        ("id", code(policy.id)),
        ("name (zh)", esc(policy.name_zh)),
        ("name (en)", esc(policy.name_en)),
        ("level", code(policy.level)),
        ("parent", parent),
        ("GB/T 2260 code", code(policy.division_code)),
        ("layers applied", " › ".join(code(x) for x in layers)),
    ]
    if children:
        identity.append(("below it", ", ".join(f"[{code(c)}]({page_link(c)})" for c in children)))
    lines += ["## Identity", "", *table(("", ""), identity), ""]

    money = [p for p in policy.programs if p.kind in ("entitlement", "obligation")]
    lines += ["## Programmes", ""]
    if policy.programs:
        summary_rows = [
            (
                f"[{code(p.id)}](#{anchor('prog', p.id)})",
                esc(p.kind),
                code(p.payer) if p.payer else "-",
                code(p.basis) if p.basis else "-",
                esc(p.dates()),
            )
            for p in policy.programs
        ]
        lines += [*table(("programme", "kind", "payer", "basis", "dates"), summary_rows), ""]
        if not money:
            lines += ["None of these bears money for a facility: they are conditions or rules, not entitlements.", ""]
        for p in policy.programs:
            lines += _program_section(p, policy, known_cites)
    else:
        lines += [
            "No programme of its own: this layer is in the library as the parent of the layers below it "
            "(and, for a province, as the payer of matching obligations that fall on it).",
            "",
        ]

    if policy.designations:
        lines += ["## Designations", ""]
        rows = [
            (
                code(d.id),
                esc(d.name_zh),
                esc(d.name_en),
                code(d.program),
                code(d.amount_parameter) if d.amount_parameter else "no amount stated",
            )
            for d in policy.designations
        ]
        lines += [*table(("designation", "name (zh)", "name (en)", "feeds", "amount range from"), rows), ""]

    if policy.payers:
        lines += ["## Payers", ""]
        payer_rows = [(code(pid), esc(p.name_zh), esc(p.name_en)) for pid, p in policy.payers.items()]
        lines += [*table(("payer id", "name (zh)", "name (en)"), payer_rows), ""]

    lines += ["## Parameters", ""]
    if policy.parameters:
        lines += [
            "Dated values (or values by batch year), each resting on the citations listed. A value is read "
            "only through the rule context, and every result lists the values it used.",
            "",
        ]
        for name, param in policy.parameters.items():
            lines += _parameter_section(name, param, known_cites)
    else:
        lines += ["None.", ""]

    lines += ["## Citations", ""]
    if policy.citations:
        for c in policy.citations.values():
            lines += _citation_section(c)
    else:
        lines += ["None.", ""]

    lines += _messages_section(policy)

    lines += ["## Assumptions and limitations", ""]
    assumptions = any(p.assumptions for p in policy.programs)
    if policy.limitations:
        lines += ["Limitations:", "", *_bullets(policy.limitations, policy.limitations_zh), ""]
    if assumptions:
        lines += ["Assumptions of the programmes:", ""]
        for p in policy.programs:
            lines += _bullets(p.assumptions, p.assumptions_zh, [f"{code(p.id)}: "] * len(p.assumptions))
        lines.append("")
    if not policy.limitations and not assumptions:
        lines += ["None stated.", ""]
    if policy.references:
        lines += ["## References", "", *_bullets(policy.references, policy.references_zh), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def jurisdictions_index(all_policies: Sequence[Policy]) -> str:
    """The index page: every jurisdiction as a tree by parent, then as a table."""
    by_parent: dict[str | None, list[Policy]] = {}
    for p in all_policies:
        by_parent.setdefault(p.parent if p.parent in {q.id for q in all_policies} else None, []).append(p)
    lines = [
        "<!-- Generated from the jurisdictions' data by tools/gen_docs.py; do not edit. -->",
        "",
        "# Jurisdictions",
        "",
        "Every registered jurisdiction (bundled, and any installed plugin), each with a page generated from its "
        "data: identity, programmes, dated parameters, citations, assumptions and limitations. A facility is "
        "assessed under its city or district and every layer above it.",
        "",
    ]

    def walk(parent: str | None, depth: int) -> None:
        for p in sorted(by_parent.get(parent, []), key=lambda q: (LEVEL_ORDER.index(q.level), q.id)):
            lines.append(f"{'    ' * depth}- [{esc(p.name_zh)} {esc(p.name_en)}]({p.id}.md) ({code(p.id)}, {p.level})")
            walk(p.id, depth + 1)

    walk(None, 0)
    lines.append("")
    rows = [
        (
            f"[{code(p.id)}]({p.id}.md)",
            esc(p.name_zh),
            esc(p.name_en),
            p.level,
            code(p.parent) if p.parent else "-",
            code(p.division_code),
            str(len(p.programs)),
        )
        for p in all_policies
    ]
    lines += table(("id", "name (zh)", "name (en)", "level", "parent", "GB/T 2260", "programmes"), rows)
    return "\n".join(lines) + "\n"


# -- reasons in both languages -----------------------------------------------------------------------------


def template_cell(segments: Sequence[Segment], catalog: Catalog, lang: Lang) -> str:
    """A message template as a table cell: its words, a glossary term (``{@term}``) in that language, and each
    parameter as code (``{amount:range}``: filled in when the reason is given)."""
    out: list[str] = []
    for literal, name, spec in segments:
        out.append(esc(literal))
        if name is None:
            continue
        if name.startswith("@"):
            out.append(esc(catalog.term(name[1:], lang) or name[1:]))
        else:
            out.append(code("{" + name + (f":{spec}" if spec else "") + "}"))
    return "".join(out)


def _messages_section(policy: Policy) -> list[str]:
    out = ["## Reasons in Chinese and English {#reasons}", ""]
    if not policy.messages:
        return [*out, "No message of its own: its reasons, if any, are the library's (or plain text).", ""]
    catalog = core_catalog().with_layers([policy.messages], [policy.terms])
    out += [
        "Every reason its rules give, by code: a result's `explanation` lists these codes with their parameters "
        'and both texts, and `reasons` is the text in the language asked (`lang="zh"` or `"en"`). A part '
        "in code, such as `{amount:range}`, is filled in from the facility and the rules.",
        "",
    ]
    rows = [
        (code(c), template_cell(entry.zh, catalog, "zh"), template_cell(entry.en, catalog, "en"))
        for c, entry in sorted(policy.messages.items())
    ]
    return [*out, *table(("code", "中文", "English"), rows), ""]


# -- glossary -----------------------------------------------------------------------------------------------

GLOSSARY_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("", "Terms of the sources 来源术语", "The sources' own words. A message template names one as `{@key}`."),
    (
        "field",
        "The facility's fields 机构字段",
        "Each field of `Facility` (and of the options around it). A Chinese text names a field with its label "
        "and its name, `托位数（places）`, so a reader of either language finds it in the input.",
    ),
    (
        "mode",
        "Operating modes 办托模式",
        "The closed set of values of `Facility.mode`. Whether the employer built the premises is the separate "
        "flag `self_built`.",
    ),
    ("status", "Statuses 状态", "An entry's `status`."),
    ("basis", "Bases 计算基础", "How often an amount is paid: an entry's `basis`."),
    ("kind", "Kinds of programme 项目类型", "A programme's `kind`."),
    ("scaled", "Scaled amounts 折算金额", "What an amount was multiplied into, as a reason names it."),
    ("rounding", "Rounding modes 舍入方式", "The decimal rounding modes `rounding=` takes."),
)
"""The glossary's sections, by the key's prefix (``mode.self_run`` is in ``mode``; a key without a dot is a term
of the sources). A prefix not listed here gets a section of its own, after these, titled by the prefix."""

MODE_WORDS: dict[str, str] = {
    "self_run": "自办 / 单独办 / 独立办托",
    "joint_run": "联办 / 联合办托",
    "third_party": "用人单位+第三方联合办 / 委托第三方运营",
    "purchased_places": "购买服务 / 购买学位",
    "park_shared": "园区共享办 / 集中共建",
    "community_co_built": "社区共建",
    "union_venue": "工会阵地灵活托",
}
"""The words the sources use for each operating mode (the policy digest's vocabulary): how a reader of a source
finds the mode's id. Its translations are the glossary's."""


def glossary_page() -> str:
    """The glossary, from ``core/glossary.toml``: each term's key, Chinese and English, section by section."""
    terms = glossary()
    by_section: dict[str, list[tuple[str, str, str]]] = {}
    for key, (zh, en) in terms.items():
        prefix, _, rest = key.rpartition(".")
        by_section.setdefault(prefix, []).append((rest, zh, en))
    known = [s[0] for s in GLOSSARY_SECTIONS]
    sections = [*GLOSSARY_SECTIONS, *((p, p, "") for p in sorted(by_section) if p not in known)]
    lines = [
        "<!-- Generated from src/tuoyu_rules/core/glossary.toml by tools/gen_docs.py; do not edit. -->",
        "",
        "# Glossary 术语",
        "",
        "Every term the library's texts share, in Chinese and English, translated once: the reasons (in either "
        "language), the error messages and these pages all take them from `src/tuoyu_rules/core/glossary.toml`. "
        "A key in `code` is an identifier of the library (a field, a mode, a status) where the section says so.",
        "",
    ]
    for prefix, title, intro in sections:
        rows = by_section.get(prefix)
        if not rows:
            continue
        anchor_id = prefix or "sources"
        lines += [f"## {esc(title)} {{#{anchor_id}}}", ""]
        if intro:
            lines += [intro, ""]
        if prefix == "mode":
            mode_rows = [(code(k), esc(zh), esc(en), esc(MODE_WORDS.get(k, "-"))) for k, zh, en in rows]
            lines += [*table(("mode", "中文", "English", "the sources also say"), mode_rows), ""]
        else:
            header = (prefix or "key", "中文", "English")
            lines += [*table(header, [(code(k), esc(zh), esc(en)) for k, zh, en in rows]), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- API reference ------------------------------------------------------------------------------------------


def api_modules() -> list[tuple[str, str]]:
    """(module, title) of every public module of the package that exists now, in the preferred order."""
    spec = importlib.util.find_spec("tuoyu_rules")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    present = {
        m.name.removeprefix("tuoyu_rules.")
        for m in pkgutil.walk_packages(list(spec.submodule_search_locations), prefix="tuoyu_rules.")
        if not any(part.startswith("_") for part in m.name.split("."))
        and not any(m.name.removeprefix("tuoyu_rules.").startswith(s) for s in _SKIP_MODULES)
    }
    titles = dict(API_MODULES)
    preferred = {name: i for i, (name, _) in enumerate(API_MODULES)}

    def key(name: str) -> tuple[int, int, str]:
        package = name.split(".")[0]
        rank = _PACKAGE_ORDER.index(package) if package in _PACKAGE_ORDER else len(_PACKAGE_ORDER)
        return rank, preferred.get(name, len(preferred)), name

    return [(name, titles.get(name, name)) for name in sorted(present, key=key)]


def api_page(module: str, title: str) -> str:
    return (
        "<!-- Generated by tools/gen_docs.py from the module's docstrings; do not edit. -->\n\n"
        f"# {esc(title)}\n\n"
        f"::: tuoyu_rules.{module}\n"
    )


# -- JSON Schema --------------------------------------------------------------------------------------------


def schema_files() -> dict[str, str]:
    """``reference/schema/<Name>.schema.json`` -> JSON text, for every public model."""
    return {
        f"{SCHEMA_DIR}/{tr_schema.file_name(n)}": tr_schema.dumps(tr_schema.schema(n)) for n in tr_schema.model_names()
    }


def schema_page() -> str:
    lines = [
        "<!-- Generated by tools/gen_docs.py from tuoyu_rules.io.schema; do not edit. -->",
        "",
        "# JSON Schema",
        "",
        "For systems written in other languages: the JSON Schema (draft 2020-12) of every public input and "
        "output model. Inputs are in pydantic's *validation* mode (the JSON you may send: unknown keys are "
        'refused), outputs in *serialization* mode (the JSON `model_dump(mode="json")` and '
        "`tuoyu assess --format json` write: every field present). Money is a string of yuan with at most "
        'two decimals (`"50000.00"`), never a JSON number.',
        "",
        "The same files come from the command line (`tuoyu schema --out DIR`) or from Python "
        "(`tuoyu_rules.io.schema.write(DIR)`).",
        "",
    ]
    rows = []
    for name in tr_schema.model_names():
        s = tr_schema.schema(name)
        first = str(s.get("description", "")).strip().splitlines()
        rows.append(
            (
                f"[{code(name)}](schema/{tr_schema.file_name(name)})",
                "input" if tr_schema.mode_of(name) == "validation" else "output",
                code(tr_schema.mode_of(name)),
                esc(first[0] if first else ""),
            )
        )
    lines += table(("model", "direction", "schema mode", "what it is"), rows)
    lines.append("")
    for name in tr_schema.model_names():
        lines += [
            f"## {name}",
            "",
            f'??? note "{tr_schema.file_name(name)}"',
            "",
            "    ```json",
            *("    " + line if line else "" for line in tr_schema.dumps(tr_schema.schema(name)).splitlines()),
            "    ```",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- everything ---------------------------------------------------------------------------------------------


def generated() -> dict[str, str]:
    """Every generated file: docs-relative path -> content."""
    all_policies = policies()
    files: dict[str, str] = {f"{JURISDICTIONS_DIR}/index.md": jurisdictions_index(all_policies)}
    for p in all_policies:
        files[f"{JURISDICTIONS_DIR}/{p.id}.md"] = jurisdiction_page(p, all_policies)
    for module, title in api_modules():
        files[f"{API_DIR}/{module}.md"] = api_page(module, title)
    files[SCHEMA_PAGE] = schema_page()
    files.update(schema_files())
    files[GLOSSARY_PAGE] = glossary_page()
    return files


def nav() -> dict[str, list[Any]]:
    """Nav entries of the generated sections, keyed by the section they fill."""
    all_policies = sorted(policies(), key=lambda p: (LEVEL_ORDER.index(p.level), p.id))
    return {
        "jurisdictions": [f"{JURISDICTIONS_DIR}/index.md"]
        + [{f"{p.name_en} {p.name_zh}": f"{JURISDICTIONS_DIR}/{p.id}.md"} for p in all_policies],
        "api": [{title: f"{API_DIR}/{module}.md"} for module, title in api_modules()],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the generated documentation pages into a folder.")
    parser.add_argument("--out", required=True, help="folder to write into (docs-relative paths below it)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    files = generated()
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    print(f"wrote {len(files)} files under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
