import json
import os
from pathlib import Path


def save_settings(path: Path, settings: dict) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(settings, fh, indent=2)
    tmp.replace(path)
