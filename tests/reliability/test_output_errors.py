"""Issue 18, "Output errors": ``PYTHONIOENCODING=ascii``, a full disk (``/dev/full``) and a pipe closed early all
ended the ``tuoyu`` command in a traceback.

Each now ends as ``tuoyu --help`` and docs/reference/cli.md document: standard output that cannot encode
the output is one error line and exit status 1 (nothing half written); a failed write (ENOSPC) is one error
line and exit status 1; a reader that closes the pipe early ends the command quietly with the status it
would have had (0). Each case runs the real command in a subprocess (``python -m tuoyu_rules.cli``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

COMMAND = [sys.executable, "-m", "tuoyu_rules.cli"]
CHINESE = ["jurisdictions"]
"""A command whose output has Chinese text (the jurisdictions' names)."""
LARGE = ["schema"]
"""A command whose output is larger than the standard output buffer (the JSON Schema of every model)."""


def tuoyu(*argv: str, stdout: IO[Any] | int = subprocess.PIPE, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        timeout=120,
        check=False,
    )


def assert_one_error_line(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tuoyu: error: ")
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("argv", [CHINESE, ["jurisdictions", "--format", "json"], ["--help"]])
def test_an_ascii_stdout_is_one_error_line_and_status_1(argv: list[str]) -> None:
    done = tuoyu(*argv, PYTHONIOENCODING="ascii")
    assert done.returncode == 1
    assert done.stdout == ""  # nothing half written
    assert_one_error_line(done.stderr, "'ascii'", "U+", "UTF-8")


def test_ascii_output_still_works_on_an_ascii_stdout() -> None:
    done = tuoyu("--version", PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("tuoyu_rules ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("argv", [CHINESE, LARGE])
def test_a_full_disk_is_one_error_line_and_status_1(argv: list[str]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = tuoyu(*argv, stdout=full)
    assert done.returncode == 1
    assert_one_error_line(done.stderr, "cannot write standard output", "No space left on device")


@pytest.mark.parametrize("argv", [CHINESE, LARGE])
def test_a_pipe_closed_early_ends_quietly_with_status_0(argv: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes anything
    try:
        done = tuoyu(*argv, stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")


def test_bad_input_with_a_closed_pipe_is_still_status_2() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = tuoyu("assess", "--example", "xiamen", "--on", "2024-13-01", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 2
    assert_one_error_line(done.stderr, "--on")


def test_the_exit_statuses_are_in_the_help() -> None:
    done = tuoyu("--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "exit status: 0 done; 1 the output could not be written" in text
    assert "2 bad input" in text
