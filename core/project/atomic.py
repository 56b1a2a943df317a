"""Atomic file writes: a crash, a full disk or Ctrl+C mid-save leaves the old file as it was.

The bytes go to a temporary file in the target's folder, are fsynced, take the target's permissions and
are renamed over it; the folder is fsynced too so that the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from backprop_studio.core.errors import StudioError


def write_atomically(target: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename over the target: readers see the old or the new file.

    Raises StudioError naming the target when it cannot be written; leaves no temporary file behind.
    """
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
