"""Golden files (issue 15, auditable results): each bundled example's assessment, byte for byte.

``tests/golden/<example>.json`` holds ``Assessment.model_dump_json(indent=2)`` of each bundled example
(``src/tuoyu_rules/examples``) on :data:`ON`: a facility example as it is, the reform example applied to the
``xiamen`` example. Any change of the rules, the data, the wording or the result's shape fails here and shows up as
a reviewed diff of these files. To accept a change on purpose, regenerate them and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
    git diff tests/golden

Each golden result carries its ``rules_version``: the package version and a digest of the rules data in force.
The same rules version must always give the same bytes, so a change of output without a change of rules version
(a change of the engine outside the data and the rule modules) is caught here too, until the version is bumped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
import types
from importlib import metadata, resources
from pathlib import Path

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import digest, registry

ON = dt.date(2024, 6, 1)
GOLDEN = Path(__file__).resolve().parent / "golden"
ROOT = Path(__file__).resolve().parents[1]
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REFORM_SUFFIX = ".reform.json"
REFORM_BASE = "xiamen.json"
"""The facility example a reform example is applied to."""


def _examples() -> list[str]:
    names = [e.name for e in resources.files("tuoyu_rules.examples").iterdir() if e.name.endswith(".json")]
    return sorted(names)


def _text(name: str) -> str:
    return resources.files("tuoyu_rules.examples").joinpath(name).read_text(encoding="utf-8")


def _assessment(name: str) -> tr.Assessment:
    if name.endswith(REFORM_SUFFIX):
        facility = tr.Facility.model_validate(json.loads(_text(REFORM_BASE)))
        return tr.assess(facility, on=ON, reform=tr.Reform.loads(_text(name)))
    return tr.assess(tr.Facility.model_validate(json.loads(_text(name))), on=ON)


def _golden_text(name: str) -> str:
    return _assessment(name).model_dump_json(indent=2) + "\n"


def test_there_is_an_example_of_each_kind() -> None:
    names = _examples()
    assert REFORM_BASE in names
    assert any(n.endswith(REFORM_SUFFIX) for n in names)


@pytest.mark.parametrize("name", _examples())
def test_each_example_gives_its_golden_bytes(name: str) -> None:
    path = GOLDEN / name
    text = _golden_text(name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path.name}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert text == path.read_text(encoding="utf-8"), (
        f"the assessment of {name} changed; if on purpose: UPDATE_GOLDEN=1 pytest tests/test_golden.py, then review "
        "git diff tests/golden"
    )


def test_no_golden_file_is_left_without_its_example() -> None:
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == _examples()


def test_a_golden_result_says_what_produced_it() -> None:
    stored = json.loads((GOLDEN / REFORM_BASE).read_text(encoding="utf-8"))
    assert stored["rules_version"].startswith(f"{tr.__version__}+rules.")
    assert stored["rules_version"] == _assessment(REFORM_BASE).rules_version


# -- the rules version --------------------------------------------------------------------------------------------


def test_the_version_has_one_source() -> None:
    """pyproject reads the version from the module the package re-exports; the installed metadata agrees."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    source = ROOT / project["tool"]["hatch"]["version"]["path"]
    assert source == ROOT / "src" / "tuoyu_rules" / "core" / "version.py"
    assert f'__version__ = "{tr.__version__}"' in source.read_text(encoding="utf-8")
    assert metadata.version("tuoyu_rules") == tr.__version__


def test_the_rules_version_is_the_package_version_and_a_digest_of_the_chain() -> None:
    facility = tr.Facility(jurisdiction="xiamen", mode="self_run", places=30, enrolled=20)
    version = tr.assess(facility, on=ON).rules_version
    head, _, tail = version.partition("+rules.")
    assert head == tr.__version__
    assert len(tail) == digest.DIGEST_CHARS
    assert int(tail, 16) >= 0
    # another chain, another digest; another day or facility, the same
    assert tr.assess(facility, on=ON, jurisdiction="hangzhou").rules_version != version
    assert tr.assess(facility, on=dt.date(2020, 1, 1)).rules_version == version
    assert tr.assess(facility.model_copy(update={"places": 31}), on=ON).rules_version == version


def test_a_reform_changes_the_rules_version_and_the_same_reform_gives_the_same() -> None:
    facility = tr.Facility.model_validate(json.loads(_text(REFORM_BASE)))
    law = tr.assess(facility, on=ON).rules_version
    one = tr.Reform.loads(_text("xiamen_operating_up.reform.json"))
    two = tr.Reform.loads(_text("xiamen_operating_up.reform.json"))
    other = tr.Reform.from_dict(
        {
            "name": one.name,
            "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30001"}]},
        }
    )
    with_one = tr.assess(facility, on=ON, reform=one).rules_version
    assert with_one != law
    assert tr.assess(facility, on=ON, reform=two).rules_version == with_one
    assert tr.assess(facility, on=ON, reform=other).rules_version not in (law, with_one)


def test_a_change_of_a_data_file_changes_the_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layer digest covers the bytes of the data file, the rule module and the sources (CRLF = LF)."""
    original = digest.builtin_digest("xiamen", True)
    files = resources.files("tuoyu_rules.jurisdictions")
    texts = {n: files.joinpath(n).read_text(encoding="utf-8") for n in ("xiamen.toml", "xiamen.py", "sources.toml")}

    def digest_with(changed: dict[str, str]) -> str:
        class Folder:
            def joinpath(self, name: str) -> Folder.File:
                return Folder.File(changed.get(name, texts[name]))

            class File:
                def __init__(self, text: str) -> None:
                    self.text = text

                def read_text(self, encoding: str) -> str:
                    return self.text

        with monkeypatch.context() as m:
            m.setattr(digest, "resources", types.SimpleNamespace(files=lambda package: Folder()))
            return digest.builtin_digest("xiamen", True)

    assert digest_with({}) == original
    assert digest_with({"xiamen.toml": texts["xiamen.toml"].replace("\n", "\r\n")}) == original
    for name in texts:
        assert digest_with({name: texts[name] + " "}) != original, name


def test_the_digest_is_computed_once_per_loaded_chain() -> None:
    registry._reset()
    facility = tr.Facility(jurisdiction="xiamen", mode="self_run", places=30, enrolled=20)
    first = tr.assess(facility, on=ON).rules_version
    before = registry._layer_digest.cache_info().misses
    for day in (ON, dt.date(2023, 1, 1), dt.date(2025, 1, 1)):
        assert tr.assess(facility, on=day).rules_version == first
    assert registry._layer_digest.cache_info().misses == before
    assert registry.rules_version.cache_info().hits >= 3


def test_a_plugin_layer_has_a_digest_of_its_policy_and_rules() -> None:
    """A plugin's digest covers its built policy (canonical JSON), its rule modules' source and its distribution."""
    policy = tr.get_policy("xiamen")
    base = digest.plugin_digest(policy, "pkg==1.0")
    assert base == digest.plugin_digest(policy, "pkg==1.0")
    assert digest.plugin_digest(policy, "pkg==1.1") != base
    changed = tr.Policy(**{**vars(policy), "name_en": policy.name_en + "!"})
    assert digest.plugin_digest(changed, "pkg==1.0") != base
    assert b'"name_en":"' in digest.canonical_json(policy)
    assert b" at 0x" not in digest.canonical_json(policy)  # no object address: the same policy, the same bytes
