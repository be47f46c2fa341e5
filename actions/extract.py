"""Babel extractor: pull translatable texts out of the knowledge files."""
from __future__ import annotations

from typing import Any, BinaryIO, Iterator

import yaml

TOPIC_FIELDS = ("title", "steps", "more")


def _items(fileobj: BinaryIO) -> list[tuple[int, Any]]:
    text = fileobj.read().decode("utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    if not isinstance(data, list) or root is None:
        return []
    return [(node.start_mark.line + 1, item) for node, item in zip(root.value, data)]


def extract_knowledge(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield guidance titles, steps and details, and contact descriptions, with their context."""
    for line, item in _items(fileobj):
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
