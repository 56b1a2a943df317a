"""The sizes Backprop Studio refuses, in one place, and the checks that compare a request with them.

Every check runs before the work it guards starts (before an array is allocated or a file is read), and
refuses with one line that names the limit and the value asked for. README's "Limits" section lists
these values. Memory limits follow the machine: `memory_limit()` is a share of the memory available
now (MemAvailable in /proc/meminfo, else the physical memory from `os.sysconf`, else a fixed fallback).
"""

from __future__ import annotations

import errno
import itertools
import os
import stat
from collections.abc import Sequence
from typing import BinaryIO

from backprop_studio.core.errors import StudioError

# ---- the limits ------------------------------------------------------------------------------------------

MAX_PARAMETERS = 50_000_000
"""Weights and biases of a whole network (400 MB as float64; training keeps several copies)."""
PARAMETER_COPIES = 5
"""Copies of every parameter training keeps alive: weights, gradients, two optimizer buffers, a checkpoint."""
ACTIVATION_COPIES = 4
"""Arrays per layer and sample during a step: z, a and their gradients ∂L/∂z, ∂L/∂a."""
MEMORY_SHARE = 0.5
"""The share of the available memory one network or data set may take."""
FALLBACK_MEMORY = 2 * 2**30
"""Bytes assumed available when the system does not say (2 GiB)."""

MAX_EPOCHS = 1_000_000_000
"""Epochs to train, and epochs completed in a file (a count that large would take centuries)."""
MAX_OPTIMIZER_STEPS = 2**53
"""An optimizer's step count (the largest integer a float64 holds exactly)."""
MAX_BATCH_SIZE = 10_000_000
MAX_ROWS = 10_000_000
"""Samples in a CSV file."""
MAX_CSV_CLASSES = 1_000
"""Distinct classes in a CSV file's one-hot class column."""
MAX_CSV_BYTES = 512 * 2**20
"""The largest CSV file read (512 MiB)."""
MAX_CSV_LINE_BYTES = 16 * 2**20
"""The longest line of a CSV file (16 MiB)."""
MAX_PROJECT_BYTES = 256 * 2**20
"""The largest project file read (256 MiB)."""
MAX_BREAKPOINTS = 10_000
"""Breakpoints in a project (each is checked after every phase; more would only slow training down)."""
DATA_COPIES = 3
"""Copies of an encoded target array alive while a data set is built (table, encoded, split)."""


class LimitError(StudioError):
    """A request over one of the limits above; the message names the limit and the value."""


# ---- memory ----------------------------------------------------------------------------------------------


def available_memory() -> int:
    """Bytes of memory available now: MemAvailable (Linux), else physical memory, else FALLBACK_MEMORY."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and page_size > 0:
            return int(pages * page_size)
    except (AttributeError, ValueError, OSError):
        pass
    return FALLBACK_MEMORY


def memory_limit() -> int:
    """Bytes one network or one data set may take: MEMORY_SHARE of `available_memory()`."""
    return int(available_memory() * MEMORY_SHARE)


def size_text(n_bytes: int | float) -> str:
    """1536 → "1.5 KB"; decimal units as file managers show them."""
    value = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if value < 1000 or unit == "PB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} PB"  # pragma: no cover (the loop returns)


def big(n: int) -> str:
    """An integer for a message: 1,234,567, or "about 10^400" when it is too long to read."""
    if n < 10**18:
        return f"{n:,}"
    return f"about 10^{len(str(n)) - 1}"


def check_memory(n_bytes: int, what: str) -> None:
    """Refuse `what` (e.g. "the one-hot targets (1,000,000 rows × 500 classes × 8 bytes × 3)") when
    `n_bytes` is more than `memory_limit()`."""
    limit = memory_limit()
    if n_bytes > limit:
        raise LimitError(
            f"{what} would take {size_text(n_bytes)}, more than the {size_text(limit)} this machine can spare "
            f"(the limit is {MEMORY_SHARE:.0%} of the memory available now)"
        )


# ---- networks --------------------------------------------------------------------------------------------


def parameters(sizes: Sequence[int]) -> int:
    """Weights and biases of a network with layer sizes (inputs, units of layer 1, …); exact Python ints."""
    return sum(n_in * n_out + n_out for n_in, n_out in itertools.pairwise(sizes))


def check_network_size(sizes: Sequence[int], rows: int) -> None:
    """Refuse a network over MAX_PARAMETERS, or whose parameters or activations for `rows` samples at
    once (a batch, or a whole data set when it is evaluated) do not fit in `memory_limit()`.

    sizes: (inputs, units of layer 1, …, units of layer L).
    """
    count = parameters(sizes)
    if count > MAX_PARAMETERS:
        widest = max(range(1, len(sizes)), key=lambda k: sizes[k])
        raise LimitError(
            f"the network has {big(count)} parameters (layer {widest} alone has {big(sizes[widest])} units); "
            f"the limit is {MAX_PARAMETERS:,} parameters"
        )
    check_memory(
        count * 8 * PARAMETER_COPIES, f"the network's {count:,} parameters (× 8 bytes × {PARAMETER_COPIES})"
    )
    units = sum(sizes[1:])
    check_memory(
        rows * units * 8 * ACTIVATION_COPIES,
        f"the activations of {big(units)} units for {rows:,} samples at once (× 8 bytes × {ACTIVATION_COPIES})",
    )


# ---- files -----------------------------------------------------------------------------------------------


class NotRegularFile(OSError):
    """A path that names a device, a FIFO, a socket (or a folder: IsADirectoryError) instead of a file."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _refuse_kind(mode: int) -> None:
    kind = _kind(mode)
    if kind == "a folder":
        raise IsADirectoryError(errno.EISDIR, "a folder, not a regular file")
    if kind is not None:
        raise NotRegularFile(errno.EINVAL, f"{kind}, not a regular file")


def open_regular(path: str, max_bytes: int) -> BinaryIO:
    """Open `path` for reading in binary if it is a regular file of at most `max_bytes` bytes.

    Devices (/dev/zero never ends), FIFOs (opening one blocks until a writer comes) and folders are
    refused from `os.stat`, before anything is opened; the file is opened non-blocking and checked
    again, in case it was swapped in between. Raises OSError (IsADirectoryError, NotRegularFile,
    FileNotFoundError, …; `strerror` says what) or LimitError for a file over `max_bytes`.
    """
    _refuse_kind(os.stat(path).st_mode)
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        _refuse_kind(info.st_mode)
        check_file_size(info.st_size, max_bytes)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_file_size(n_bytes: int, max_bytes: int) -> None:
    """Refuse a file (or what has been read of it so far) of more than `max_bytes`."""
    if n_bytes > max_bytes:
        raise LimitError(f"the file is larger than {size_text(max_bytes)}, the most that is read")


def read_regular(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file `path`, refused as `open_regular` says; reads at most `max_bytes`
    (+1, to see that a file grew past the limit after it was opened)."""
    with open_regular(path, max_bytes) as handle:
        data = handle.read(max_bytes + 1)
    check_file_size(len(data), max_bytes)
    return data
