"""What the command line prints never drives the terminal it lands on.

Article text, notes, quotes and file names can hold control characters: an escape
sequence can retitle the window, clear the screen or write the clipboard (OSC 52), a
carriage return can print over what came before. :func:`safe_output` puts every
command's standard output and error behind :class:`SafeText`, which writes the C0
controls other than tab and newline, DEL and the C1 controls as visible symbols
(ESC as ``␛``, DEL as ``␡``, a C1 control as ``�``); a carriage return directly before
a newline stays, as it hides nothing.

This is done whether or not the output is a terminal, deliberately: text piped to a
file, a pager or a CI log is read on a terminal later (``cat``, ``less -R``), where the
sequence would run then; nothing anyone needs is lost, as the exact text is in
``--json`` (:func:`dump_json` escapes every control character, so the JSON holds the
same strings) and in the exports; and one command prints the same text wherever its
output goes. The one exception is a document written to standard output
(``export -o -``, ``versions --format F -o -``): it is a file, written byte for byte
to a pipe or a file, and through the filter only to a terminal (:func:`write_document`).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from collections.abc import Iterator
from typing import IO, Any, TextIO

_CONTROL = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: DEL and the C1 controls, which JSON text may hold raw, as ``\\u`` escapes.
_JSON_RAW_CONTROLS = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟
    return "\u2421" if code == 0x7F else "\ufffd"


def terminal_safe(text: str) -> str:
    """``text`` with every control character but tab and newline made visible."""
    return _CONTROL.sub(_visible, text)


class SafeText(io.TextIOBase):
    """A text stream that writes :func:`terminal_safe` text to ``stream``.

    ``buffer`` is the wrapped stream's own, for documents that must go out unchanged.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.stream.errors

    @property
    def buffer(self) -> IO[bytes] | None:
        return getattr(self.stream, "buffer", None)


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Standard output and error behind :class:`SafeText` while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if isinstance(s, SafeText) else SafeText(s) for s in saved)
    try:
        yield
    finally:
        with contextlib.suppress(BrokenPipeError):
            sys.stdout.flush()
        sys.stdout, sys.stderr = saved


def dump_json(value: Any, stream: TextIO) -> None:
    """``value`` as indented JSON and a newline, with no control character left raw."""
    stream.write(json.dumps(value, ensure_ascii=False, indent=1).translate(_JSON_RAW_CONTROLS))
    stream.write("\n")


def write_document(text: str) -> None:
    """A file's text to standard output: unchanged to a pipe or a file (as bytes, so
    the CSV's ``\\r\\n`` stay), made terminal-safe on a terminal."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if out.isatty() or buffer is None:
        out.write(text)
        return
    out.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
