"""Fixtures running every library test on both back ends: a SQLite file, and a real
PostgreSQL server (``$FACTCHECK_TEST_POSTGRES_DSN``, which ``.ci/run`` sets, or a
throwaway cluster started here when PostgreSQL is installed). No mock database."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import pg_cluster

DSN_VARIABLE = "FACTCHECK_TEST_POSTGRES_DSN"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server to make test databases on (skips when there is none)."""
    given = os.environ.get(DSN_VARIABLE, "").strip()
    if given:
        yield given
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg: pip install 'factcheck[team]'")
    yield from _throwaway_cluster("factcheck-postgres-", None, "PostgreSQL")


@pytest.fixture(scope="session")
def pgvector_server() -> Iterator[str]:
    """A second real server that has pgvector: PostgreSQL 16 with the extension, from the
    ``pgserver`` wheel (a test dependency; Debian bookworm has no pgvector package)."""
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        pytest.skip("no PostgreSQL with pgvector here: pip install pgserver (Linux x86_64)")
    bindir = Path(spec.origin).parent / "pginstall" / "bin"
    yield from _throwaway_cluster("factcheck-pgvector-", bindir, "PostgreSQL with pgvector")


def _throwaway_cluster(prefix: str, bindir: Path | None, what: str) -> Iterator[str]:
    """A cluster of the server in ``bindir`` (default: the installed one) for the test
    session, removed afterwards; skips, saying why, when it cannot start."""
    # Not under pytest's private tmp folders: the server may run as another user.
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        url = pg_cluster.start(folder, bindir)
    except Exception as exc:  # any reason the server cannot start is a reason to skip
        detail = getattr(exc, "stderr", "") or ""
        pytest.skip(f"{what} cannot be started here: {exc} {detail}".strip())
    try:
        yield url
    finally:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pgvector_url(pgvector_server: str) -> Iterator[str]:
    """A fresh, empty database on the server with pgvector; dropped afterwards."""
    yield from _fresh_database(pgvector_server)


def _fresh_database(server: str) -> Iterator[str]:
    import psycopg

    name = "factcheck_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server; dropped afterwards."""
    yield from _fresh_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql", "postgresql+pgvector"])
def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty library on each back end (PostgreSQL without and with pgvector)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'library.sqlite3'}"
    fixture = "postgres_url" if request.param == "postgresql" else "pgvector_url"
    url: str = request.getfixturevalue(fixture)
    return url
