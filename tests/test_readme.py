"""The README's Python examples run, and print what the README says they print."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def _expected(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("# ")]


def test_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 2


def test_readme_examples_print_what_they_say() -> None:
    namespace: dict[str, object] = {}
    for block in _python_blocks():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(README), "exec"), namespace)
        assert out.getvalue().splitlines() == _expected(block)


def test_readme_test_command_is_the_ci_command() -> None:
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in README.read_text(encoding="utf-8")
