"""Temporary files of a save that was killed are removed the next time that folder is saved to (only our
own, and only stale ones); a folder that cannot be written to is named before any work starts."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from backprop_studio.core.errors import StudioError
from backprop_studio.core.project import atomic
from backprop_studio.core.project.fileformat import save_project
from backprop_studio.core.project.project import Project
from backprop_studio.core.spec import LayerSpec, NetworkSpec


def project() -> Project:
    return Project(NetworkSpec(2, (LayerSpec(3, "tanh"), LayerSpec(1, "tanh"))), name="circle")


def leftover(folder: Path, name: str, age: float) -> Path:
    """A file as a save killed mid-write leaves it, last written `age` seconds ago."""
    path = folder / name
    path.write_bytes(b'{"format": "backprop-st')
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_a_killed_saves_temporary_files_are_removed_by_the_next_save(tmp_path):
    old = [
        leftover(tmp_path, ".p.json.k3j_x9aq.tmp", 3600),
        leftover(tmp_path, ".other.json.abcdefgh.tmp", 60),
    ]
    save_project(project(), tmp_path / "p.json")
    assert sorted(os.listdir(tmp_path)) == ["p.json"]
    assert not any(path.exists() for path in old)


def test_a_temporary_file_of_a_save_still_running_is_kept(tmp_path):
    fresh = leftover(tmp_path, ".p.json.k3j_x9aq.tmp", 0.5)
    save_project(project(), tmp_path / "p.json")
    assert fresh.exists()


@pytest.mark.parametrize(
    "name",
    [
        ".p.json.tmp",  # no random part
        ".p.json.k3j_x9aq.tmp.bak",
        "p.json.k3j_x9aq.tmp",  # not hidden: not ours
        ".notes.txt.k3j_x9aq.tmp",  # not a project file's
        ".p.json.K3J-X9AQ.tmp",  # tempfile never writes upper case or dashes
        ".p.json.toolongname.tmp",
    ],
)
def test_a_users_file_is_never_removed(tmp_path, name):
    mine = leftover(tmp_path, name, 3600)
    save_project(project(), tmp_path / "p.json")
    assert mine.exists()


def test_a_folder_with_our_name_is_never_removed(tmp_path):
    folder = tmp_path / ".p.json.k3j_x9aq.tmp"
    folder.mkdir()
    stamp = time.time() - 3600
    os.utime(folder, (stamp, stamp))
    save_project(project(), tmp_path / "p.json")
    assert folder.is_dir()


def test_a_missing_folder_is_named_before_work_starts(tmp_path):
    with pytest.raises(StudioError, match="does not exist"):
        atomic.check_writable(tmp_path / "missing" / "p.json")


def test_a_file_where_the_folder_should_be_is_named(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StudioError, match="not a folder"):
        atomic.check_writable(tmp_path / "file" / "p.json")


def test_a_folder_as_the_target_is_named(tmp_path):
    with pytest.raises(StudioError, match="is a folder"):
        atomic.check_writable(tmp_path)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc, where no file can be created")
def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    with pytest.raises(StudioError, match="cannot save"):
        atomic.check_writable(Path("/proc/p.json"))


def test_the_probe_leaves_nothing_behind(tmp_path):
    atomic.check_writable(tmp_path / "p.json")
    assert os.listdir(tmp_path) == []
