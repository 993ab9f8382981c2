"""Turning files and texts into projects and stores (no widgets; used by the app and
the window's file commands)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.loading import article_from_text, load_article
from factcheck.models import Article, MatchConfig, Project, ProjectSettings
from factcheck.store import ProjectStore
from factcheck.textutil import excerpt

if TYPE_CHECKING:
    from factcheck.projectfile import FileStamp

#: Match in the constructor (on the GUI thread) only below this many claim pairs;
#: bigger pairs of articles are matched by a background job after the window shows.
SYNC_MATCH_PAIRS = 40_000


def is_project_path(path: Path) -> bool:
    from factcheck.projectfile import SUFFIX  # (project files only: not before the window)

    return path.name.endswith(SUFFIX) or path.suffix.lower() == ".json"


def comparison_name(a: Article, b: Article) -> str:
    def short(title: str) -> str:
        return excerpt(title, 40) or "untitled"

    return f"{short(a.title)} vs {short(b.title)}"


def new_project(a: Article, b: Article, config: MatchConfig | None = None) -> Project:
    """A fresh comparison of two articles (ids forced to ``a`` and ``b``)."""
    a = Article("a", a.title, a.source, a.text, a.metadata, load_warnings=a.load_warnings)
    b = Article("b", b.title, b.source, b.text, b.metadata, load_warnings=b.load_warnings)
    settings = ProjectSettings(match=config) if config is not None else ProjectSettings()
    return Project(article_a=a, article_b=b, settings=settings, name=comparison_name(a, b))


def project_from_files(
    a_path: str | Path, b_path: str | Path, config: MatchConfig | None = None
) -> Project:
    """Raises ArticleLoadError naming the file that could not be read."""
    return new_project(
        load_article(a_path, article_id="a"), load_article(b_path, article_id="b"), config
    )


def project_from_texts(a_text: str, b_text: str, config: MatchConfig | None = None) -> Project:
    a = article_from_text(a_text, article_id="a", source="pasted text A")
    b = article_from_text(b_text, article_id="b", source="pasted text B")
    return new_project(a, b, config)


def open_project_file(path: str | Path) -> tuple[Project, FileStamp]:
    """The project and the file's stamp, for saving it back with ``expected=`` (raises
    ProjectFileError naming the file and the problem)."""
    from factcheck.projectfile import load_project_with_stamp

    return load_project_with_stamp(path)


def make_store(project: Project, *, match_now: bool = True) -> tuple[ProjectStore, bool]:
    """A store for ``project`` and whether its matches still have to be computed (a
    version comparison's come from aligning its articles: see ui.versions_mode; any
    other's always, without ``match_now``: the app's window shows before anything
    matches)."""
    probe = ProjectStore(project, matches=())
    if project.settings.versions:
        return probe, False
    a, b = probe.claims("a"), probe.claims("b")
    if not match_now:  # (ui.background's threads: not before the app's first paint)
        return probe, True
    from .background import lexical_preview

    # Loading the sentence encoder and encoding is never quick: always in the background.
    if (
        len(a) * len(b) <= SYNC_MATCH_PAIRS
        and len(a) * len(b) <= SYNC_MATCH_PAIRS
        and lexical_preview(a, b, project.settings.match) is None
    ):
        probe.set_matches(project.settings.match)
        return probe, False
    return probe, True
