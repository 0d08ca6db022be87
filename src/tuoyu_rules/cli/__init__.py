"""The ``tuoyu`` command line: one module per command group, and one shared place for arguments, input and
errors (:mod:`~tuoyu_rules.cli.common`).

What it may import: every other package (it is the outermost layer); nothing imports it.
"""

from __future__ import annotations

from .app import main

__all__ = ["main"]
