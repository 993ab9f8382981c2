"""Core test fixtures: the claim library on both back ends."""

from tests.library_fixtures import (  # noqa: F401
    library_url,
    pgvector_server,
    pgvector_url,
    postgres_server,
    postgres_url,
)
