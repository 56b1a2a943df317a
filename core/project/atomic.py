"""Atomic file writes: a crash, a full disk or Ctrl+C mid-save leaves the old file as it was.

The bytes go to a temporary file in the target's folder, are fsynced, take the target's permissions and
are renamed over it; the folder is fsynced too so that the rename itself survives a power cut. A save
killed outright (kill -9, a power cut) leaves its hidden temporary file (`.p.json.k3j_x9aq.tmp`); the
next save into that folder removes such leftovers (`remove_stale`), only names of our own pattern whose
file was last written more than STALE_SECONDS ago. `check_writable` tells before any work starts
whether a target can be written.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from backprop_studio.core.errors import StudioError

STALE_SECONDS = 10.0
"""A temporary file not written for this long belongs to a save that died (a live one writes, fsyncs and
renames within moments)."""
# tempfile's names: the prefix we give, 8 characters of "a-z0-9_", the suffix. Hidden, ending in .tmp.
_RANDOM = r"[a-z0-9_]{8}"


def temporary_pattern(suffix: str) -> re.Pattern[str]:
    """Names `write_atomically` gives the temporary files of targets ending in `suffix` (".json")."""
    return re.compile(rf"\..+{re.escape(suffix)}\.{_RANDOM}\.tmp")


def remove_stale(folder: Path, pattern: re.Pattern[str], older_than: float = STALE_SECONDS) -> list[str]:
    """Remove the regular files in `folder` whose whole name matches `pattern` and that were last written
    more than `older_than` seconds ago: leftovers of a killed save. Never a folder, a link or a name
    of another pattern. Returns the names removed; problems (a file gone meanwhile) are skipped."""
    removed = []
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if not pattern.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                    continue
                if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                    os.unlink(entry.path)
                    removed.append(entry.name)
    return removed


def check_writable(target: Path) -> None:
    """Refuse (StudioError naming the target) a target whose folder is missing, is not a folder or cannot
    be written, or that is itself a folder: checked by creating and removing a temporary file there, as
    a save would, so a long run does not end in a save that cannot happen."""
    folder = target.parent
    if target.is_dir():
        raise StudioError(f"{target}: is a folder; name a file to save to")
    if not folder.exists():
        raise StudioError(f"{target}: cannot save, the folder {folder} does not exist")
    if not folder.is_dir():
        raise StudioError(f"{target}: cannot save, {folder} is not a folder")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".tmp"):
            pass
    except OSError as error:
        raise StudioError(f"{target}: cannot save ({error.strerror or error})") from None


def write_atomically(target: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename over the target: readers see the old or the new file.

    Raises StudioError naming the target when it cannot be written; leaves no temporary file behind, and
    removes those that killed saves of files like the target left in its folder.
    """
    remove_stale(target.parent, temporary_pattern(target.suffix))
    try:
        # Not a `with` block: the file must outlive it, closed, to be renamed or removed below.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "wb", delete=False, dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise StudioError(f"{target}: cannot save ({error.strerror or error})") from None
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode_for(target))
        os.replace(handle.name, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        if isinstance(error, OSError):
            raise StudioError(f"{target}: cannot save ({error.strerror or error})") from None
        raise
    _sync_folder(target.parent)


def _mode_for(target: Path) -> int:
    # NamedTemporaryFile creates the file private (0600); keep the permissions the project file had.
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; elsewhere a folder cannot be opened)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
