"""Bundled data: source documents, and one TOML file of dated, cited parameters per jurisdiction."""
