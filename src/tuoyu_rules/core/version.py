"""The package version, stated once.

``pyproject.toml`` reads it from here (``[tool.hatch.version]``), the facade re-exports it as
``tuoyu_rules.__version__``, and every :class:`~tuoyu_rules.Assessment` carries it in ``rules_version``
(:func:`~tuoyu_rules.core.registry.rules_version`). Change the version here and nowhere else.
"""

from __future__ import annotations

__version__ = "0.1.0"
