"""Babel extractor: pull translatable texts out of the knowledge files."""
from __future__ import annotations

from typing import Any, BinaryIO, Iterator

from actions.loader import yaml_items

TOPIC_FIELDS = ("title", "steps", "more")


def extract_knowledge(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield guidance titles, steps and details, and contact descriptions, with their context."""
    for line, item in yaml_items(fileobj.read().decode("utf-8")):
        if not isinstance(item, dict) or not item.get("id"):
            continue
        if "steps" in item:
            context = f"guidance:{item['id']}"
            for field in TOPIC_FIELDS:
                values = item.get(field) or []
                for value in [values] if isinstance(values, str) else values:
                    if isinstance(value, str) and value.strip():
                        comment = f"Guidance topic “{item['id']}”, {field}. Plain words for someone in shock."
                        yield line, "pgettext", (context, value.strip()), [comment]
        elif isinstance(item.get("description"), str) and item["description"].strip():
            comment = f"What {item.get('name', item['id'])} does, shown under its name."
            yield line, "pgettext", (f"contact:{item['id']}", item["description"].strip()), [comment]
