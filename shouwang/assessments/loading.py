"""Loading instrument versions from the JSON files into the ``Instrument`` table.

Used by the data migration (with the historical model) and by ``shouwang assessments load``
(through ``services.instrument_load_all``, which adds the audit event). Idempotent: loading
the same file twice changes nothing. A file whose code and version are already loaded with a
*different* definition is refused (``InstrumentConflict``): a published version is never
changed, because stored assessments were scored with it; add a new version instead.
"""

import json
from pathlib import Path
from typing import Any

from shouwang.assessments import domain

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"


class InstrumentConflict(ValueError):  # noqa: N818  (the domain's word)
    pass


def instrument_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or INSTRUMENTS_DIR).glob("*.json"))


def read_definition(path: Path) -> tuple[dict[str, Any], domain.Instrument]:
    """The JSON of one file and its checked tree (``InstrumentError``, ``ValueError``)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path.name}: cannot read JSON: {exc}"
        raise ValueError(msg) from exc
    return raw, domain.instrument_from_json(raw)


def load_definition(model: Any, raw: dict[str, Any], parsed: domain.Instrument) -> tuple[Any, bool]:
    """Create the row for ``parsed`` unless it exists; refuse a changed definition.

    ``model`` is ``assessments.Instrument`` (or its historical version in a migration).
    Returns ``(row, created)``.
    """
    existing = model.objects.filter(code=parsed.code, version=parsed.version).first()
    if existing is not None:
        if existing.definition != raw:
            msg = (
                f"{parsed.key} is already loaded with a different definition. A loaded "
                f"version is never changed: give the changed instrument a new version."
            )
            raise InstrumentConflict(msg)
        return existing, False
    row = model.objects.create(
        code=parsed.code,
        version=parsed.version,
        title_zh=parsed.title.zh,
        title_en=parsed.title.en,
        definition=raw,
        active=True,
    )
    return row, True
