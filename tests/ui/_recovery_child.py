"""A session that autosaves the seed project, says "ready" and waits to be killed.

``python -m tests.ui._recovery_child DIR`` (the kill test in test_recovery.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from factcheck.models import Annotation, Link, LinkState, Project, TextAnchor, Verdict
from factcheck.seeds import seed_pair
from factcheck.segmentation import segment_claims


def seed_project() -> Project:
    """The seed pair with a verdict, a note and a confirmed link: hours of work, in small."""
    a, b = seed_pair()
    claim_a, claim_b = segment_claims(a)[2], segment_claims(b)[2]
    anchor_a = TextAnchor.from_text(a.text, claim_a.start, claim_a.end)
    anchor_b = TextAnchor.from_text(b.text, claim_b.start, claim_b.end)
    return Project(
        article_a=a,
        article_b=b,
        annotations=(
            Annotation(
                claim_id=claim_a.id,
                article_id="a",
                anchor=anchor_a,
                verdict=Verdict.CONTESTED,
                note="Checked against the court records: the date is wrong. ✓",
                evidence=("https://example.org/records",),
                created="2024-06-11T10:00:00Z",
                modified="2024-06-11T10:05:00Z",
            ),
        ),
        links=(Link(claim_a.id, claim_b.id, LinkState.CONFIRMED, anchor_a, anchor_b, 81.5),),
        name="Seed comparison (unsaved)",
    )


def main(directory: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.recovery import RecoveryManager

    app = QCoreApplication([])
    manager = RecoveryManager(directory, interval_ms=60_000)
    project = seed_project()
    manager.start(lambda: project, lambda: True)
    if not manager.save_now():
        raise SystemExit("the autosave was not written")
    print("ready", manager.path, flush=True)
    time.sleep(60)  # killed long before this ends
    app.quit()
    raise SystemExit("not killed")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
