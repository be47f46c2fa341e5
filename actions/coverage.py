"""Check that every translatable knowledge text has a translation in every catalog."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from actions.extract import extract_knowledge
from actions.loader import Problem

TEXT_FILES = ("guidance.yml", "contacts.yml")


def untranslated(knowledge_dir: Path, locales_dir: Path) -> list[Problem]:
    """Report each knowledge text missing (or fuzzy) in a catalog, as file:line."""
    catalogs = {}
    for po in sorted(locales_dir.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalogs[po.parent.parent.name] = read_po(handle)
    problems: list[Problem] = []
    for name in TEXT_FILES:
        path = knowledge_dir / name
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for line, _, (context, msgid), _ in extract_knowledge(handle, None, None, {}):
                missing = [
                    code
                    for code, catalog in catalogs.items()
                    if not (m := catalog.get(msgid, context=context)) or not m.string or m.fuzzy
                ]
                if missing:
                    problems.append(
                        Problem(name, line, f"text not translated in {', '.join(missing)}: run `make i18n` and translate it: {msgid[:60]!r}")
                    )
    return problems
