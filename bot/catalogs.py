"""Maintain the gettext catalogs: fill the English source catalog, report what is missing."""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, SOURCE_LANGUAGE


def fill_source(locales_dir: Path) -> int:
    """Copy each msgid into the English catalog's msgstr (the source language translates to itself)."""
    path = locales_dir / SOURCE_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=SOURCE_LANGUAGE)
    filled = 0
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = message.id
            message.flags.discard("fuzzy")
            filled += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)
    return filled


def main() -> int:
    """Run `python -m bot.catalogs LOCALES_DIR`."""
    locales_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "locales")
    print(f"filled {fill_source(locales_dir)} English source message(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
