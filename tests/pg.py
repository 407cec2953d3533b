"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, ``pg_ctl`` listening on a
Unix socket in that folder only (no TCP port), stopped and removed afterwards.

PostgreSQL refuses to run as root, so under root the server runs as the ``postgres`` user (created when
missing) and the folder is handed to it. Without PostgreSQL the tests that need it skip, saying how to
install it; with ``RECONCILE_REQUIRE_POSTGRES=1`` (CI) a missing server is an error instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["postgres_server", "find_bin"]

INSTALL = "PostgreSQL is not installed: `apt-get install postgresql` (Debian/Ubuntu) to run the archive's server tests"


def find_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl", path=str(Path(os.path.realpath(found)).parent)):
        return Path(os.path.realpath(found)).parent
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("RECONCILE_REQUIRE_POSTGRES"):
        raise RuntimeError(f"RECONCILE_REQUIRE_POSTGRES is set, but: {reason}")
    pytest.skip(reason)


def _server_user() -> tuple[Callable[[], None] | None, int, int]:
    """Who runs the server: this user, or (under root) ``postgres``, created when missing."""
    if os.geteuid() != 0:
        return None, os.getuid(), os.getgid()
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
                       check=True, capture_output=True)
        pw = pwd.getpwnam("postgres")

    def drop() -> None:
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)

    return drop, pw.pw_uid, pw.pw_gid


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield a URL of its ``postgres`` database (user ``postgres``, trust on the socket)."""
    bindir = find_bin()
    if bindir is None:
        _unavailable(INSTALL)
        raise AssertionError  # unreachable: skip raises
    root = Path(tempfile.mkdtemp(prefix="reconcile-pg-"))
    drop, uid, gid = _server_user()
    os.chown(root, uid, gid)
    data = root / "data"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, preexec_fn=drop, env=env, capture_output=True, text=True, timeout=120,
                              cwd=root)

    started = False
    try:
        out = run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        if out.returncode:
            _unavailable(f"initdb failed: {out.stderr.strip()}")
        opts = f"-k {root} -c listen_addresses='' -F -c max_connections=40 -c shared_buffers=32MB"
        out = run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start")
        if out.returncode:
            log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
            _unavailable(f"pg_ctl start failed: {out.stderr.strip()} {log[-500:]}")
        started = True
        yield f"postgresql://postgres@/postgres?host={root}"
    finally:
        if started:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
