"""The committed JSON Schemas (draft 2020-12), generated from the pydantic models.

python -m checks.schemas          # rewrite the committed files
python -m checks.schemas --check  # exit 1 when they drifted from the models
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = ["SCHEMAS", "load_schema", "render_schema"]

HERE = Path(__file__).parent
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, type[BaseModel]]:
    from checks.models import SourceMetadata
    from checks.reports.results import Results
    from checks.waivers import WaiverFile

    return {"source.schema.json": SourceMetadata, "results.schema.json": Results, "waivers.schema.json": WaiverFile}


SCHEMAS = ("source.schema.json", "results.schema.json", "waivers.schema.json")


def render_schema(name: str) -> str:
    model = _models()[name]
    schema: dict[str, Any] = {"$schema": DIALECT, **model.model_json_schema(mode="serialization")}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def load_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


def main(argv: list[str]) -> int:
    drifted = []
    for name in SCHEMAS:
        path = HERE / name
        text = render_schema(name)
        if "--check" in argv:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                drifted.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for name in drifted:
        print(f"{name} differs from the models: run python -m checks.schemas", file=sys.stderr)
    return 1 if drifted else 0
