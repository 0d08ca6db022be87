"""Bundled example facilities (JSON), for the README, the docs and ``tuoyu assess --example NAME``."""
