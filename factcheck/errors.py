"""The exceptions the core raises on bad input. Each message names the file and the problem."""

from __future__ import annotations


class FactcheckError(Exception):
    """Base of every error the core reports to a user."""


class ArticleLoadError(FactcheckError):
    """An article could not be read: empty, binary, too large, undecodable, not a file...

    ``source`` is the path or URL; ``problem`` says what is wrong in plain words.
    ``str(error)`` is ``"<source>: <problem>"``.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ProjectFileError(FactcheckError):
    """A project file could not be read or written. The file on disk is left untouched."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ProjectChangedError(ProjectFileError):
    """A save refused because another program changed (or created) the project file
    since it was read or last written: nothing was written."""


class MatchConfigError(FactcheckError, ValueError):
    """Matching settings that cannot be used: an unknown scorer, one whose optional
    stage is not installed, a threshold out of range."""
