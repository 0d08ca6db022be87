"""Issue 18, plugins in the CLI: ``tuoyu jurisdictions`` said nothing of a plugin that claims a built-in id (the
registry ignores it and records the problem in ``plugin_problems()``).

The command now prints one warning line on standard error per problem found while listing the plugins (a
built-in id claimed, an invalid name, two claimants), lists the rest as before, and exits 0. The entry points
are handed to the registry through its ``_entry_points`` seam, as tests/reliability/test_plugins.py does.
"""

from __future__ import annotations

import io
import json
from importlib.metadata import EntryPoint

import pytest
from test_plugins import ep, plugins  # the registry seam of test_plugins.py (a fixture and a helper)

import tuoyu_rules as tr
from tuoyu_rules.cli import main

__all__ = ["plugins"]  # the fixture, used by name

SHADOW = "xiamen = tuoyu_bad_plugin:shadow_xiamen"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_plugin_claiming_a_builtin_id_is_reported(plugins: list[EntryPoint], fmt: str) -> None:
    plugins.append(ep("xiamen", "tuoyu_bad_plugin:shadow_xiamen"))
    plugins.append(ep("testville", "tuoyu_good_plugin:load"))
    status, out, err = run("jurisdictions", "--format", fmt)
    assert status == 0
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tuoyu: warning: ")
    assert SHADOW in lines[0]
    assert "built-in jurisdiction 'xiamen'" in lines[0]
    assert "ignored" in lines[0]
    if fmt == "json":
        listed = {j["id"]: j for j in json.loads(out)}
        assert listed["xiamen"]["name_zh"] == "厦门市"  # the built-in, never the plugin
        assert "testville" in listed
    else:
        assert "厦门市" in out
        assert "测试市" in out  # the good plugin is still listed


def test_every_listing_problem_is_one_warning_line(plugins: list[EntryPoint]) -> None:
    plugins.extend(
        [
            ep("xiamen", "tuoyu_bad_plugin:shadow_xiamen"),
            ep("Bad-Name", "tuoyu_good_plugin:load"),
            ep("twice", "tuoyu_good_plugin:load"),
            ep("twice", "tuoyu_bad_plugin:raises"),
        ]
    )
    status, _, err = run("jurisdictions")
    assert status == 0
    lines = err.splitlines()
    assert len(lines) == len(tr.plugin_problems()) == 3
    assert all(line.startswith("tuoyu: warning: ") for line in lines)
    assert SHADOW in lines[0]
    assert "'Bad-Name'" in lines[1]
    assert "claimed by 2 entry points" in lines[2]


def test_no_plugin_no_warning(plugins: list[EntryPoint]) -> None:
    status, out, err = run("jurisdictions")
    assert (status, err) == (0, "")
    assert "xiamen" in out
