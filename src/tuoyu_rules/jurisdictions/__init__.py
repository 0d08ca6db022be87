"""The bundled jurisdictions: for each, a module of rule functions beside its data file.

``xiamen.py`` holds Xiamen's rules (plain functions of a :class:`~tuoyu_rules.RuleContext`) and
``xiamen.toml`` its names, payers, programmes, dated parameters and citations; ``sources.toml`` lists the
source documents every data file cites. The registry (:mod:`tuoyu_rules.core.registry`) finds a jurisdiction
by its data file, so adding one means adding its two files here and nothing else. A layer with no programme
that bears money (most provinces: a parent of the places below it and the payer of the national award's
provincial match) is its data file alone, loaded with no rules.

What it may import: :mod:`tuoyu_rules.core` only. Nothing is imported here: each jurisdiction loads when it is
first asked for.
"""
