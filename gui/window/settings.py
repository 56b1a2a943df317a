"""Settings kept between launches (QSettings), with their defaults in one place."""

from __future__ import annotations

from PySide6.QtCore import QSettings

DEFAULTS: dict[str, object] = {
    "theme": "system",
    "recent_files": [],
    # Play trains visibly at once (a batch per tick, an epoch of a small data set within a second) while
    # Step stays one phase. New keys: the old ones held the slow phase-per-tick default on every install.
    "play/granularity": "batch",
    "play/speed": 15.0,
    # MB that history and step-back may keep (Train → Memory for stepping back…; README, Limits).
    "history/memory_budget_mb": 256.0,
}
MAX_RECENT = 8


def store() -> QSettings:
    # INI format so that QSettings.setPath can point tests (and portable installs) at another folder.
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "BackpropStudio", "Backprop Studio"
    )


def get(key: str) -> object:
    value = store().value(key, DEFAULTS[key])
    default = DEFAULTS[key]
    if isinstance(default, list):
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            return default
    return value


def put(key: str, value: object) -> None:
    store().setValue(key, value)


def add_recent(path: str) -> list[str]:
    recent = [p for p in get("recent_files") if p != path]
    recent.insert(0, path)
    del recent[MAX_RECENT:]
    put("recent_files", recent)
    return recent
