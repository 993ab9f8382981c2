"""``factcheck show`` lists what the README promises: claims with verdicts, links,
orphans; and a file that is not a project is called so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.models import LinkState, Verdict
from factcheck.projectfile import load_project, save_project
from factcheck.store import ProjectStore

from .test_cli import seed_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.factcheck.json"
    assert main(["new", *seed_files(), "-o", str(path)]) == 0
    store = ProjectStore(load_project(path))
    store.set_verdict("a:17", Verdict.CONTESTED)
    store.set_note("a:17", "Check the 2022 date")
    store.set_verdict("b:2", Verdict.SUPPORTED)
    store.set_link("a:3", "b:5", LinkState.MANUAL)
    save_project(store.project(), path)
    return path


def test_show_lists_claims_with_verdicts_and_links(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["show", str(project)]) == 0
    out = capsys.readouterr().out
    assert "Claims with a verdict or a note (2):" in out
    assert "A18 ✗ contested: “It is also frequently ignored" in out
    assert "note: Check the 2022 date" in out
    assert "B3 ✓ supported:" in out
    assert "Confirmed and hand-made links (1):" in out
    assert "A4 ↔ B6 (manual):" in out


def test_show_json_has_the_same_lists(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["show", str(project), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["claim"], c["verdict"]) for c in data["reviewed_claims"]] == [
        ("A18", "contested"),
        ("B3", "supported"),
    ]
    assert [(x["a"], x["b"], x["state"]) for x in data["decided_links"]] == [("A4", "B6", "manual")]


def test_show_on_an_article_says_it_is_not_a_project(
    capsys: pytest.CaptureFixture[str],
) -> None:
    article, _b = seed_files()
    assert main(["show", article]) == 1
    err = capsys.readouterr().err
    assert "not a factcheck project" in err and "malformed" not in err
