"""Helpers imported by tests: settings, bots, seeded data, tiny models. Fixtures live in conftest.py."""
