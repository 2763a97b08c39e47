"""CLI command modules, one per capability; each exposes ``register(app)``."""
