"""docs/schema.md must describe exactly the schemas the code enforces."""

from __future__ import annotations

import re
from pathlib import Path

from processing.lake.schemas import SCHEMAS

DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def documented() -> dict[str, list[tuple[str, str, bool]]]:
    """{dataset: [(column, type, nullable), ...]} parsed from the doc's tables."""
    tables: dict[str, list[tuple[str, str, bool]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## `(\w+)`$", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
            continue
        row = re.match(r"^\| `([^`]+)` \| `([^`]+)` \| (yes|no) \|", line)
        if row and current:
            tables[current].append((row.group(1), row.group(2), row.group(3) == "yes"))
    return tables


def test_every_dataset_is_documented_and_no_other():
    assert set(documented()) == set(SCHEMAS)


def test_doc_columns_types_and_nullability_match_code():
    doc = documented()
    for dataset, schema in SCHEMAS.items():
        in_code = [(f.name, str(f.type), f.nullable) for f in schema]
        assert doc[dataset] == in_code, f"docs/schema.md is stale for {dataset}"


def test_partition_keys_are_not_columns():
    for schema in SCHEMAS.values():
        assert "dt" not in schema.names and "source" not in schema.names


def test_doc_is_the_generated_text():
    """Meanings and examples too: regenerate with `python -m processing.lake.schemas`."""
    from processing.lake.schemas import schema_markdown

    assert DOC.read_text(encoding="utf-8") == schema_markdown()
