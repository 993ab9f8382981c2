"""Core test fixtures: the claim library on both back ends."""

from tests.library_fixtures import library_url, postgres_server, postgres_url  # noqa: F401
