from __future__ import annotations

from factcheck.textutil import excerpt


def test_excerpt_puts_text_on_one_line_and_cuts_with_an_ellipsis() -> None:
    assert excerpt("  Putin\n cannot\tdefeat  Ukraine. ", 40) == "Putin cannot defeat Ukraine."
    cut = excerpt("Putin cannot defeat Ukraine.", 12)
    assert cut == "Putin canno…" and len(cut) == 12
    assert excerpt("exactly ten", 11) == "exactly ten"
    assert excerpt(" \n ", 5) == ""
