"""A throwaway PostgreSQL cluster for the library's tests and benchmark (no mock database).

    python tests/pg_cluster.py start DIR     # prints the server's URL (DSN)
    python tests/pg_cluster.py stop DIR

The cluster lives in DIR, listens on 127.0.0.1 on a free port (and a socket in DIR),
and is tuned for tests (no fsync). As root, the server runs as the ``postgres`` user
(initdb refuses root). Local socket connections are trusted; TCP needs the password,
so wrong credentials can be tested.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

PASSWORD = "factcheck-test"
USER = "postgres"


def server_bin() -> Path | None:
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    return versions[-1].parent if versions else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runner = shutil.which("runuser") or shutil.which("su")
    if runner is None:
        raise RuntimeError("running as root and neither runuser nor su is there")
    return [runner, "-u", USER, "--", *command]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path, bindir: Path | None = None) -> str:
    """Start a cluster in ``folder`` (created) with the server in ``bindir`` (default:
    the installed one); returns its URL. Raises RuntimeError."""
    bindir = bindir or server_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb)")
    folder.mkdir(parents=True, exist_ok=True)
    data, password_file = folder / "data", folder / "password"
    password_file.write_text(PASSWORD + "\n")
    (folder / "bindir").write_text(str(bindir))
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam(USER)
        except KeyError:
            raise RuntimeError(f"running as root and there is no {USER!r} user") from None
        for path in (folder, password_file):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        # The server user must reach the folder and the server's files through their parents.
        for parent in (*folder.parents, *bindir.parents):
            if parent == Path("/"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o001)
    port = _free_port()
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "-E",
                "UTF8",
                "--no-sync",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={password_file}",
            ]
        ),
        check=True,
        capture_output=True,
        text=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log")]
    subprocess.run(
        _as_server_user([*pg_ctl, "-w", "-t", "60", "start"]),
        check=True,
        capture_output=True,
        text=True,
    )
    url = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url)
    return url


def stop(folder: Path) -> None:
    recorded = folder / "bindir"
    bindir = Path(recorded.read_text()) if recorded.is_file() else server_bin()
    if bindir is None or not (folder / "data").is_dir():
        return
    subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"]),
        capture_output=True,
        check=False,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1]).resolve()
    if argv[0] == "stop":
        stop(folder)
        return 0
    try:
        print(start(folder))
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        print(f"pg_cluster: cannot start PostgreSQL: {exc} {detail}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
