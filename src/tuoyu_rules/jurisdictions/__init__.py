"""Bundled jurisdictions: one module of rule functions each, with its data in ``tuoyu_rules/data``."""
