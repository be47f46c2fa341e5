"""Lookups and honesty rules over the real knowledge data: own consulate, no unsourced phone."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from actions.context import ActionContext
from actions.handlers import HANDLERS
from actions.loader import load_knowledge
from actions.lookup import Directory
from bot.cli import main as amparo
from bot.engine.reply import Reply, Text, Verbatim
from bot.engine.session import Session
from bot.i18n import Renderer
from bot.services import KnowledgeHolder

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "actions" / "data"
FIXTURES = Path(__file__).parent / "fixtures" / "knowledge"
PHONE_KEYS = {"contact.phone": "phone", "emergency.call": "number", "emergency.call_kind": "number"}
NATIONALITIES = ("VE", "CO", "HT", "CU", "PE", "EC", "US", "ES", "CN", "SY", "AF", "NG")
COUNTRIES = ("EC", "US", "ES", "IT", "CL", "CO", "PE", "VE")


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory(load_knowledge(DATA))


def answer(directory: Directory, intent: str, nationality: str, country: str, today: date = date(2026, 11, 29)) -> list[Reply]:
    session = Session(user="t", nationality=nationality, country=country, lat=-0.18, lon=-78.47)
    return HANDLERS[intent](ActionContext(session, directory, today, 365, "EC"))


def parts(replies: list[Reply]) -> list[Text]:
    return [p for r in replies for p in r.parts]


def sourced_numbers(directory: Directory) -> set[str]:
    return {p.number for c in directory.knowledge.contacts if c.source.url for p in c.phones}


def test_every_phone_shown_comes_from_a_sourced_entry(directory: Directory) -> None:
    allowed = sourced_numbers(directory)
    shown = set()
    for intent in HANDLERS:
        for nationality in NATIONALITIES:
            for country in COUNTRIES:
                for part in parts(answer(directory, intent, nationality, country)):
                    if part.context in PHONE_KEYS:
                        value = part.params[PHONE_KEYS[part.context]]
                        assert isinstance(value, Verbatim)
                        shown.add(value.value)
    assert shown, "some phone numbers are shown"
    assert shown <= allowed


def test_rendered_replies_contain_no_other_long_number(directory: Directory) -> None:
    renderer = Renderer(ROOT / "locales")
    digits = {re.sub(r"\D", "", n) for n in sourced_numbers(directory)}
    for intent in HANDLERS:
        for nationality in ("VE", "CO", "PE", "US"):
            for language in renderer.locales:
                for reply in answer(directory, intent, nationality, "EC"):
                    text = re.sub(r"https?://\S+", "", renderer.render(reply, language).text)
                    for run in re.findall(r"\+?\d[\d \-]{6,}\d", text):
                        assert re.sub(r"\D", "", run) in digits, (intent, language, run)


@pytest.mark.parametrize(("nationality", "city_fragment"), [("CO", "Colombia"), ("PE", "Perú"), ("US", "Quito"), ("ES", "España"), ("CN", "China")])
def test_own_consulate_in_ecuador(directory: Directory, nationality: str, city_fragment: str) -> None:
    texts = parts(answer(directory, "contact_consulate", nationality, "EC"))
    assert [t.context for t in texts].count("consulate.of") == 1
    names = [t.params["name"].value for t in texts if t.context == "contact.heading"]
    consulates = {c.name for c in directory.consulates(nationality, "EC")}
    assert consulates and consulates <= set(names)
    assert "consulate.fear" in [t.context for t in texts], "a humanitarian alternative is offered"


@pytest.mark.parametrize("nationality", ["VE", "CU", "SY"])
def test_no_consulate_says_so_and_offers_humanitarian_desks(directory: Directory, nationality: str) -> None:
    keys = [t.context for t in parts(answer(directory, "contact_consulate", nationality, "EC"))]
    assert "consulate.none" in keys and "humanitarian" in keys and "consulate.of" not in keys


def test_ecuadorian_abroad_gets_ecuador_consulate(directory: Directory) -> None:
    texts = parts(answer(directory, "lost_documents", "EC", "US"))
    names = [t.params["name"].value for t in texts if t.context == "contact.heading"]
    assert any("Ecuador" in n for n in names)


def test_life_at_risk_always_shows_the_emergency_number(directory: Directory) -> None:
    for intent in ("medical_help", "safety", "evacuation"):
        keys = [t.context for t in parts(answer(directory, intent, "VE", "EC"))]
        assert "emergency.call" in keys or "emergency.call_kind" in keys


def test_old_entries_show_their_date_with_a_warning() -> None:
    fixture = Directory(load_knowledge(FIXTURES))
    texts = parts(answer(fixture, "contact_consulate", "CO", "EC", today=date(2026, 11, 29)))
    keys = [t.context for t in texts]
    assert "contact.stale" in keys, "verified 2020-01-01, older than 365 days"
    fresh = parts(answer(fixture, "contact_consulate", "CO", "EC", today=date(2020, 3, 1)))
    assert "contact.stale" not in [t.context for t in fresh]


def test_kb_check_reports_file_line_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    contacts = tmp_path / "data" / "contacts.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace("country: EC", "country: QQ", 1), encoding="utf-8")
    assert amparo(["kb", "check", str(tmp_path / "data")]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^contacts\.yml:\d+: 'country' 'QQ' is not an ISO 3166", out, flags=re.M)
    assert amparo(["kb", "check", str(DATA)]) == 0


def test_kb_check_reports_untranslated_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    guidance = tmp_path / "data" / "guidance.yml"
    guidance.write_text(guidance.read_text(encoding="utf-8").replace("  steps:\n", "  steps:\n    - A brand new step nobody translated.\n", 1), encoding="utf-8")
    assert amparo(["kb", "check", str(tmp_path / "data")]) == 1
    assert "text not translated in" in capsys.readouterr().out


def test_reload_picks_up_edits_and_keeps_old_data_on_bad_edit(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    holder = KnowledgeHolder(folder)
    assert holder.reload_if_changed() is False
    contacts = folder / "contacts.yml"
    original = contacts.read_text(encoding="utf-8")
    contacts.write_text(original.replace("Test IOM office", "Test IOM office (moved)"), encoding="utf-8")
    assert holder.reload_if_changed() is True
    assert any(c.name == "Test IOM office (moved)" for c in holder.current().knowledge.contacts)
    contacts.write_text(original.replace("country: EC", "country: ZZ"), encoding="utf-8")
    assert holder.reload_if_changed() is False
    assert any(c.name == "Test IOM office (moved)" for c in holder.current().knowledge.contacts), "old data kept"


def test_opening_hours_are_shown_as_published() -> None:
    fixture = Directory(load_knowledge(FIXTURES))
    texts = parts(answer(fixture, "basic_needs", "VE", "EC"))
    hours = [t for t in texts if t.context == "contact.hours"]
    assert [h.params["hours"].value for h in hours] == ["lunes a viernes, 09:00-16:00"]
