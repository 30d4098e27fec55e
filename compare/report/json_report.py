"""The JSON report: every figure the harness measured, and its schema check.

The schema lives next to this file (``schema.json``, JSON Schema 2020-12 syntax). To avoid a
``jsonschema`` dependency, `validate` implements the subset the schema uses: ``type``
(including unions and ``null``), ``required``, ``properties``, ``additionalProperties`` given
as a schema, ``items``, ``enum``, ``minimum`` and local ``$ref`` (``#/$defs/...``). Unknown
keywords are ignored, as a JSON Schema validator would for annotations.
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("schema.json")
VERSION = 1

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def load_schema() -> dict:
    """The report schema as a dict."""
    return json.loads(SCHEMA_PATH.read_text())


def validate(doc: Any, schema: dict | None = None) -> list[str]:
    """Every violation of the schema in ``doc`` as ``path: problem`` (empty when valid)."""
    root = load_schema() if schema is None else schema
    errors: list[str] = []
    _check(doc, root, root, "$", errors)
    return errors


def _type_ok(value: Any, name: str) -> bool:
    if isinstance(value, bool):  # bool is an int subclass in Python, not a number in JSON
        return name == "boolean"
    if name == "integer":
        return isinstance(value, int)
    if name == "number":
        return isinstance(value, int | float)
    return isinstance(value, _TYPES[name])


def _check(value: Any, schema: dict, root: dict, path: str, errors: list[str]) -> None:
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_type_ok(value, n) for n in names):
            errors.append(f"{path}: expected {' or '.join(names)}, got {type(value).__name__}")
            return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and isinstance(value, int | float) and value < schema["minimum"]:
        errors.append(f"{path}: {value} < minimum {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                errors.append(f"{path}: missing required key {key!r}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                _check(item, props[key], root, f"{path}.{key}", errors)
            elif isinstance(extra, dict):
                _check(item, extra, root, f"{path}.{key}", errors)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], root, f"{path}[{i}]", errors)


def build_report(models: list[dict], *, settings: dict, faults: list[dict] | None = None,
                 not_available: dict | None = None) -> dict:
    """The top-level document: tool, version, timestamp, settings, ``models`` (and faults)."""
    doc = {"tool": "dualgraph compare", "version": VERSION,
           "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "settings": settings, "not_available": dict(not_available or {}), "models": models}
    if faults is not None:
        doc["faults"] = faults
    return doc


def _clean(value: Any) -> Any:
    # JSON has no NaN/inf: write them as strings so the file stays standard JSON.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def write_report(doc: dict, path: str | Path) -> Path:
    """Write ``doc`` as indented JSON (NaN/inf as strings); raises if it breaks the schema."""
    clean = _clean(doc)
    problems = validate(clean)
    if problems:
        raise ValueError("report does not match schema.json:\n  " + "\n  ".join(problems[:20]))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(clean, indent=1))
    return path
