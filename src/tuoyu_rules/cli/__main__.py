"""``python -m tuoyu_rules.cli``: the same as the ``tuoyu`` command."""

from __future__ import annotations

from .app import main

raise SystemExit(main())
