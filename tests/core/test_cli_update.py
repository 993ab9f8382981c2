"""``factcheck update``, ``factcheck reattach`` and the orphans ``factcheck show`` lists."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from factcheck.atomicwrite import backup_path
from factcheck.cli import main
from factcheck.models import AnchorStatus, Verdict
from factcheck.projectfile import load_project, save_project

from .test_update import EDITOR_NOTE, edited_b, quote_of, seed_project


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A saved seed project and an edited version of its article B."""
    project = seed_project()
    path = tmp_path / "p.factcheck.json"
    save_project(project, path)
    new_b = tmp_path / "b-v2.txt"
    new_b.write_text(edited_b(project).text, "utf-8")
    return path, new_b


def test_update_reports_counts_and_orphans(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, new_b = files
    old_quote = quote_of(load_project(path), "b:5")
    assert main(["update", str(path), "--b", str(new_b)]) == 0
    out = capsys.readouterr().out
    assert "article B updated: 6 annotations and link ends re-anchored" in out
    assert "0 anchored, 3 moved, 1 fuzzy, 2 orphaned" in out
    assert "fuzzy (0." in out and "B7 → B7" in out
    assert "2 could not be placed and are kept as orphans:" in out
    assert "  1. [B] annotation (contested), note “second of the twins" in out
    assert "  2. [B] link A21 ↔ B6 (manual)" in out
    assert old_quote[:60] in out
    updated = load_project(path)
    assert updated.article_b.text.startswith(EDITOR_NOTE)
    assert len(updated.orphans) == 2
    assert not load_project(backup_path(path)).orphans  # the previous file is the backup


def test_update_to_another_file_leaves_the_project_alone(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, new_b = files
    before = path.read_bytes()
    out = path.with_name("out.factcheck.json")
    assert main(["update", str(path), "--b", str(new_b), "-o", str(out)]) == 0
    assert path.read_bytes() == before
    assert len(load_project(out).orphans) == 2


def test_show_lists_orphans_with_their_old_quote(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, new_b = files
    old_quote = quote_of(load_project(path), "b:5")
    main(["update", str(path), "--b", str(new_b)])
    capsys.readouterr()
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Orphans (2), kept with their old quote" in out
    assert "factcheck reattach PROJECT NUMBER CLAIM_ID" in out
    assert "  1. [B] annotation (contested), note “second of the twins" in out
    assert f"“{old_quote[:119]}…”" in out
    assert "       the quote is gone" in out


def test_reattach_puts_an_orphan_on_a_claim(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, new_b = files
    main(["update", str(path), "--b", str(new_b)])
    capsys.readouterr()
    assert main(["reattach", str(path), "1", "b:4"]) == 0
    assert "orphan 1 (annotation, “Xi visited Moscow" in capsys.readouterr().out
    project = load_project(path)
    note = next(a for a in project.annotations if a.claim_id == "b:4")
    assert note.verdict is Verdict.CONTESTED
    assert len(project.orphans) == 1 and project.orphans[0].link is not None
    # People type the claim as they see it (B5); the stored form b:4 works too.
    assert main(["reattach", str(path), "1", "B5"]) == 0
    assert "re-attached to claim B5; 0 orphans left" in capsys.readouterr().out
    assert ("a:20", "b:4") in {link.key for link in load_project(path).links}


@pytest.mark.parametrize(
    ("number", "claim_id", "message"),
    [
        ("7", "b:4", "there is no orphan number 7"),
        ("1", "b:999", "has no claim B1000"),
        ("1", "b:1", "already has an annotation"),
        ("1", "27", "'27' is not a claim: give A18 (the 18th claim of article A"),
    ],
)
def test_reattach_errors_name_the_file_and_change_nothing(
    files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    number: str,
    claim_id: str,
    message: str,
) -> None:
    path, new_b = files
    main(["update", str(path), "--b", str(new_b)])
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["reattach", str(path), number, claim_id]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"factcheck: {path}: ")
    assert message in err
    assert path.read_bytes() == before


def test_reattach_without_orphans(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = files
    assert main(["reattach", str(path), "1", "b:1"]) == 1
    assert "has no orphans" in capsys.readouterr().err


def test_update_refuses_a_bad_new_article_and_keeps_the_project(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, new_b = files
    before = path.read_bytes()
    new_b.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    assert main(["update", str(path), "--b", str(new_b)]) == 1
    err = capsys.readouterr().err
    assert str(new_b) in err and "binary" in err
    assert path.read_bytes() == before


def test_update_does_not_overwrite_a_project_changed_meanwhile(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck import update

    path, new_b = files
    real = update.update_article

    def update_while_the_gui_saves(*args: object, **kwargs: object) -> update.UpdateResult:
        project = load_project(path)
        save_project(replace(project, name="saved by the GUI"), path)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(update, "update_article", update_while_the_gui_saves)
    assert main(["update", str(path), "--b", str(new_b)]) == 1
    assert "changed on disk by another program" in capsys.readouterr().err
    assert load_project(path).name == "saved by the GUI"


def test_unchanged_article_reports_all_anchored(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, _ = files
    same_a = tmp_path / "a.txt"
    same_a.write_text(load_project(path).article_a.text, "utf-8")
    assert main(["update", str(path), "--a", str(same_a)]) == 0
    out = capsys.readouterr().out
    assert f"4 {AnchorStatus.ANCHORED.value}, 0 moved, 0 fuzzy, 0 orphaned" in out
    assert "could not be placed" not in out
