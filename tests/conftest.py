"""Shared test setup: Qt runs offscreen, seed articles are at hand."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared"))


@pytest.fixture
def seed_texts() -> tuple[str, str]:
    a, b = sorted(SEEDS.glob("*.txt"))
    return a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def private_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default claim library of a test is a file in tmp_path, never the user's."""
    path = tmp_path / "default-library.sqlite3"
    monkeypatch.setenv("FACTCHECK_LIBRARY", f"sqlite:///{path}")
    return path


@pytest.fixture(autouse=True)
def private_embedding_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sentence encoder's disk cache of a test is a folder in tmp_path, never the user's."""
    path = tmp_path / "embedding-cache"
    monkeypatch.setenv("FACTCHECK_EMBEDDING_CACHE", str(path))
    return path


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a network connection fails the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
