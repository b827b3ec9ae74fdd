"""Typed readers for settings that come from environment variables.

Each reader fails loudly on a value it cannot parse: a mistyped DEBUG should stop the
server at start, not silently run in debug mode. ``<NAME>_FILE`` may point at a file
holding the value (for secrets mounted by the deployment).
"""

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(Exception):
    pass


def env_str(name: str, default: str) -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    msg = f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}"
    raise ConfigurationError(msg)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        msg = f"{name} must be an integer, not {raw!r}"
        raise ConfigurationError(msg) from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
