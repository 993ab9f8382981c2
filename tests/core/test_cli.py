from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.projectfile import load_project

from ..conftest import SEEDS


def seed_files() -> tuple[str, str]:
    a, b = sorted(SEEDS.glob("*.txt"))
    return str(a), str(b)


def test_compare_without_files_uses_the_seed_pair(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare"]) == 0
    out = capsys.readouterr().out
    assert "Putin’s rule is crumbling" in out
    assert "↔" in out
    assert "Coverage:" in out and "only in A" in out


def test_compare_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", *seed_files(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    a, b = data["articles"]
    texts = {c["id"]: c["text"] for c in a["claims"] + b["claims"]}
    assert data["matches"], "the seed pair shares claims"
    for m in data["matches"]:
        assert 0 <= m["score"] <= 100
        rebuilt = "".join(op["text"] for op in m["diff"] if op["op"] != "insert")
        assert rebuilt == texts[m["a"]]
    cover = data["coverage"]
    assert sorted(cover["matched_a"] + cover["only_in_a"]) == sorted(c["id"] for c in a["claims"])


def test_new_then_show_summarises_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "seeds.factcheck.json"
    assert main(["new", *seed_files(), "-o", str(out)]) == 0
    project = load_project(out)
    assert project.name == "seeds"
    capsys.readouterr()
    assert main(["show", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["verdicts"]["unreviewed"] == summary["claims"]
    assert summary["links"]["suggested"] > 0


def _seed_project_with_scorer(folder: Path, scorer: str) -> Path:
    """A project of the seed pair whose file names ``scorer`` in its match settings."""
    out = folder / "seeds.factcheck.json"
    assert main(["new", *seed_files(), "-o", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    data["settings"]["match"]["scorer"] = scorer
    out.write_text(json.dumps(data), "utf-8")
    return out


def test_show_refuses_a_project_with_an_unknown_scorer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _seed_project_with_scorer(tmp_path, "telepathy")
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir())
    capsys.readouterr()
    assert main(["show", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"factcheck: {out}: invalid project file at settings/match/scorer: ")
    assert "unknown scorer 'telepathy'" in err and "lexical" in err
    assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir()) == before


@pytest.fixture
def without_semantic_stage(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The encoder pointed at an empty folder: its model file is missing."""
    from factcheck.matching import encoder

    empty = tmp_path_factory.mktemp("no-model")
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(empty))
    encoder.set_encoder(None)
    return empty


@pytest.mark.parametrize("command", ["compare", "new"])
@pytest.mark.parametrize("scorer", ["semantic", "hybrid"])
def test_a_scorer_without_its_stage_is_a_clear_error(
    command: str,
    scorer: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    without_semantic_stage: Path,
) -> None:
    out = ["-o", str(tmp_path / "p.factcheck.json")] if command == "new" else []
    assert main([command, *seed_files(), "--scorer", scorer, *out]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"factcheck: --scorer: {scorer!r} needs the semantic stage, which is off (lexical only):"
        f" {without_semantic_stage / 'model.onnx'}: model file missing (reinstall factcheck)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_show_a_project_matched_with_a_missing_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], without_semantic_stage: Path
) -> None:
    out = _seed_project_with_scorer(tmp_path, "semantic")
    capsys.readouterr()
    assert main(["show", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Links: 0 suggested" in text
    assert "suggested links not computed: settings/match/scorer 'semantic' needs" in text
    assert main(["show", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["claims"] > 0 and "semantic stage" in summary["suggested_not_computed"]


def test_the_matcher_reports_a_missing_stage_as_a_factcheck_error(
    without_semantic_stage: Path,
) -> None:
    from factcheck.errors import FactcheckError
    from factcheck.matching import match_claims
    from factcheck.models import MatchConfig

    with pytest.raises(FactcheckError, match="needs the semantic stage"):
        match_claims((), (), MatchConfig(scorer="semantic"))


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.json"
    out.write_text("precious", "utf-8")
    assert main(["new", *seed_files(), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_text("utf-8") == "precious"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["compare", "missing-a.txt", "missing-b.txt"], "missing-a.txt"),
        (["compare", "only-one.txt"], "needs two articles"),
        (["show", "nope.factcheck.json"], "nope.factcheck.json: no such file"),
        (["compare", "--threshold", "300"], "--threshold"),
        (["compare", "--scorer", "magic"], "unknown scorer 'magic'"),
    ],
)
def test_errors_go_to_stderr_with_nonzero_status(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert expected in captured.err
    assert captured.err.startswith("factcheck: ")
    assert captured.out == ""


def test_compare_warns_about_invalid_bytes_it_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = seed_files()
    data = Path(a).read_bytes()
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(data[:200] + b"\xa0" + data[200:])
    assert main(["compare", str(damaged), b]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith(
        f"factcheck: warning: {damaged}: the text is UTF-8 except for 1 invalid byte "
        "(at byte 200, in “…"
    )
    assert captured.err.endswith("…”), replaced with U+FFFD\n")
    assert captured.err.count("\n") == 1 and "\ufffd" in captured.err
    assert "‚Äô" not in captured.out  # not read as mac_iceland
