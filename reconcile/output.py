"""The one writer of every output file (``-o``, ``--write-baseline``): nothing written is ever half-written.

``-`` (or no path) means standard output. A symlink is followed and its target written, the link kept.
A character device or FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written through, never replaced.
Only a regular file (or a new path) is written atomically: into a temporary file beside it, flushed
and fsynced, given the old file's mode (or the umask's for a new file), renamed over the old one, and
the folder fsynced. A write that fails (disk full, ``ulimit -f``, read-only place) removes the temporary
file, leaves the old file as it was and raises ``OutputError`` naming the path.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

__all__ = ["OutputError", "write_output", "open_output", "is_stdout"]

Writer = Callable[[TextIO], None]


class OutputError(OSError):
    """An output could not be written; the message names the path and the reason."""


def is_stdout(path: str | None) -> bool:
    """True when ``path`` means standard output (no path, or ``-``)."""
    return path is None or path == "-"


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; some filesystems cannot open a folder for that, which is no error."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(path: str, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot write: {exc.strerror or exc}")


@contextlib.contextmanager
def _atomic(target: Path, shown: str) -> Iterator[TextIO]:
    """A text file that replaces ``target`` only once everything is written and synced."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _umask_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _reason(shown, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _reason(shown, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


@contextlib.contextmanager
def _through(target: Path, shown: str) -> Iterator[TextIO]:
    """A device or FIFO: opened for writing as it is (replacing it would destroy it)."""
    try:
        fh = open(target, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise _reason(shown, exc) from exc
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise _reason(shown, exc) from exc


@contextlib.contextmanager
def _stdout() -> Iterator[TextIO]:
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _reason("<stdout>", exc) from exc


def open_output(path: str | None) -> contextlib.AbstractContextManager[TextIO]:
    """A text stream for ``path`` as the module docstring describes; use it in a ``with``."""
    if is_stdout(path):
        return _stdout()
    assert path is not None
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        st = target.stat()
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: cannot write: is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return _through(target, path)
    return _atomic(target, path)


def write_output(path: str | None, content: str | Writer) -> None:
    """Write ``content`` (a string, or a function that writes to the stream it is given) to ``path``."""
    with open_output(path) as fh:
        if callable(content):
            content(fh)
        else:
            fh.write(content)
