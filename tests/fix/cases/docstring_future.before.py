"""Settings are stored as JSON next to the program."""
from __future__ import annotations

import json
from pathlib import Path


def save_settings(path: Path, settings: dict[str, object]) -> Path:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as fh:
        json.dump(settings, fh)
    tmp.replace(path)
    return path
