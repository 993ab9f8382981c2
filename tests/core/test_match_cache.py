"""Matches kept on disk between runs: ``factcheck compare`` on a pair it matched before
prints byte for byte what matching again prints, without matching again; a damaged
entry is matched again; other settings or texts are other entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.matching import embedding_cache, engine, match_cache

from .test_cli import seed_files


def _compare(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["compare", *seed_files(), *extra]) == 0
    return capsys.readouterr().out


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.matches"))


def _no_matching(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("matched again instead of reading the cache")


@pytest.mark.parametrize("extra", [(), ("--json",), ("--scorer", "lexical")])
def test_a_pair_matched_before_prints_the_same_bytes_without_matching(
    extra: tuple[str, ...],
    private_embedding_cache: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(embedding_cache.CACHE_ENV, "off")
    uncached = _compare(capsys, *extra)
    assert json.loads(uncached)["matches"] if "--json" in extra else "↔" in uncached
    monkeypatch.setenv(embedding_cache.CACHE_ENV, str(private_embedding_cache))
    first = _compare(capsys, *extra)
    assert len(_entries(private_embedding_cache)) == 1
    monkeypatch.setattr(engine, "match_claims", _no_matching)
    again = _compare(capsys, *extra)
    assert first == uncached
    assert again == uncached


def test_a_damaged_entry_is_matched_again(
    private_embedding_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _compare(capsys, "--scorer", "lexical")
    (entry,) = _entries(private_embedding_cache)
    rows = json.loads(entry.read_bytes())
    assert rows, "the seed pair shares claims"
    for damage in (entry.read_bytes()[:-9], b'[["A1", 3, 50.0, "lexical", []]]', b"\xff{"):
        entry.write_bytes(damage)
        assert _compare(capsys, "--scorer", "lexical") == first
        assert json.loads(entry.read_bytes()) == rows  # stored again, whole


def test_other_settings_and_texts_are_other_entries(
    tmp_path: Path, private_embedding_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _compare(capsys, "--scorer", "lexical")
    _compare(capsys, "--scorer", "lexical", "--threshold", "45")
    assert len(_entries(private_embedding_cache)) == 2
    a, b = seed_files()
    edited = tmp_path / "edited.txt"
    edited.write_text(Path(a).read_text("utf-8").replace("Putin", "Putin's"), "utf-8")
    assert main(["compare", str(edited), b, "--scorer", "lexical"]) == 0
    assert len(_entries(private_embedding_cache)) == 3


def test_the_code_key_covers_the_matcher_the_model_and_numpy() -> None:
    files = {path.name for path in match_cache._package_files(Path(engine.__file__).parents[1])}
    assert {"engine.py", "confidence.json", "model.onnx", "segmentation.py"} <= files
    assert "__init__.py" in files  # numpy's, among the libraries
    assert len(match_cache.code_key()) == 64
