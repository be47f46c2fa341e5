"""Dialog tests as files: the starter set passes, failures are reported readably, bad files are named."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import AsyncIterator

import pytest

from bot import messages as m
from bot.cli import build_argparser, cmd_test_dialogs
from bot.dialogs.command import dialog_tests
from bot.dialogs.loader import dialog_files, load_dialog
from bot.dialogs.report import summary, write_jsonl, write_text
from bot.dialogs.runner import DialogOutcome, run_paths
from bot.dialogs.spec import DialogFileError
from bot.engine.flow import REQUEST_INTENTS
from bot.redis_conn import connect_redis
from bot.services import KnowledgeHolder, Services, build_parser, build_services
from bot.settings import Settings
from bot.shell import ShellState, interactive_turn

DIALOGS = Path(__file__).parent / "dialogs"
LANGUAGES = {"es", "en", "fr", "pt", "ht", "ar"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a dialog file and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def report(outcomes: list[DialogOutcome]) -> str:
    """Return the text report as a string."""
    out = io.StringIO()
    write_text(outcomes, out, width=120)
    return out.getvalue()


@pytest.fixture(scope="module")
async def real_services(base_settings: Settings) -> AsyncIterator[Services]:
    """Build the real services (trained model, real knowledge) once for this module."""
    redis = await connect_redis(base_settings)
    parser = build_parser(base_settings, KnowledgeHolder(base_settings.knowledge_dir))
    services = await build_services(base_settings, parser, redis)
    yield services
    keys = [k async for k in redis.client.scan_iter(match=f"{base_settings.key_prefix}:*")]
    if keys:
        await redis.client.delete(*keys)
    await services.close()


# --- the starter set, with the real model ------------------------------------------------------
@pytest.mark.nlu
async def test_every_starter_dialog_passes(real_services: Services) -> None:
    outcomes = await run_paths([DIALOGS], real_services)
    assert len(outcomes) >= 14
    failed = [o for o in outcomes if not o.passed]
    assert not failed, report(failed)
    assert summary(outcomes) == f"{len(outcomes)} passed, 0 failed"


def test_starter_set_covers_every_request_intent_in_six_languages() -> None:
    for intent in REQUEST_INTENTS:
        dialog = load_dialog(DIALOGS / f"{intent}.yml")
        asked = [t for t in dialog.turns if t.expect.intent == intent]
        assert {t.expect.language for t in asked} == LANGUAGES, intent
        assert len({t.person for t in asked}) == len(asked), f"{intent}: one fresh person per language"


def test_known_failures_are_not_run_by_default() -> None:
    files = dialog_files([DIALOGS])
    assert files and not any("known_failures" in f.parts for f in files)
    for path in dialog_files([DIALOGS / "known_failures"]):
        load_dialog(path)  # still well-formed


# --- failures are reported side by side ---------------------------------------------------------
async def test_wrong_expectation_reports_the_expectation_and_the_bots_words(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.yml", """\
name: A wrong expectation
turns:
  - user: perdí mi pasaporte
    hint: es
    expect:
      language: es
      intent: shelter
      says: [albergue]
      sends: [shelters.nearest]
""")
    outcomes = await run_paths([path], services)
    assert not outcomes[0].passed
    seen = outcomes[0].turns[0].seen
    assert seen is not None and seen.intent == "lost_documents"
    text = report(outcomes)
    assert "intent: shelter" in text and "says: albergue" in text and "sends: shelters.nearest" in text
    assert "got: lost_documents" in text
    asked = services.renderer.gettext(m.ASK_NATIONALITY, "es")
    assert asked.split()[0] in text, "the bot's words appear, in the conversation's language"
    assert text.splitlines()[-1] == "0 passed, 1 failed"
    out = io.StringIO()
    write_jsonl(outcomes, out)
    row = json.loads(out.getvalue())
    assert row["passed"] is False and row["turns"][0]["bot"]["intent"] == "lost_documents"
    intent_check = {"check": "intent", "expected": "shelter", "passed": False, "got": "lost_documents (0.95)"}
    assert intent_check in row["turns"][0]["checks"]


async def test_a_button_that_was_not_offered_stops_the_dialog(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "press.yml", """\
turns:
  - user: hola
  - press: Colombia
  - user: perdí mi pasaporte
""")
    outcome = (await run_paths([path], services))[0]
    assert not outcome.passed and len(outcome.turns) == 2
    assert "cannot press “Colombia”" in (outcome.turns[1].problem or "")
    assert "the remaining 1 turn(s) were not run" in outcome.notes


async def test_given_seeds_the_session(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "given.yml", """\
given:
  nationality: CO
  city: Quito
  case: C-1
turns:
  - user: donde esta el consulado
    expect:
      intent: contact_consulate
      sends: [consulate.of]
      says: [Test consulate of Colombia in Quito]
  - user: necesito un albergue
    expect:
      sends: [shelters.nearest]
      says: [Test shelter Quito]
      case: none
""")
    outcome = (await run_paths([path], services))[0]
    assert outcome.passed, report([outcome])
    assert any("'given: case' was not applied" in note for note in outcome.notes), "said plainly, not faked"


async def test_unknown_city_in_given_names_the_line(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "city.yml", "name: x\ngiven:\n  nationality: CO\n  city: Atlantis\nturns:\n  - user: hola\n")
    outcome = (await run_paths([path], services))[0]
    assert outcome.error is not None and outcome.error.line == 4
    assert f"{path}:4:" in report([outcome]) and "Atlantis" in report([outcome])


# --- malformed files ----------------------------------------------------------------------------
MALFORMED = [
    ("turns:\n  - user: hola\n    expect:\n      language: es\n      intnet: greet\n", 5, "did you mean 'intent'"),
    ("name: x\nturns:\n  - user: hola\n   hint: es\n", 4, "not valid YAML"),
    ("name: x\nturns:\n  - user: hola\n    button: menu\n", 3, "exactly one of"),
    ("turns:\n  - user: hola\n    expect:\n      sends: [consulate_of]\n", 4, "did you mean 'consulate.of'"),
    ("turns:\n  - location: [north, 3]\n", 2, "two numbers"),
    ("given:\n  nationality: Colombia\nturns:\n  - user: hola\n", 2, "two-letter country code"),
    ("turns:\n  - user: hola\n    expect:\n      asks: passport\n", 4, "not known"),
    ("name: no turns\n", 1, "needs 'turns:'"),
    ("", 1, "empty"),
]


@pytest.mark.parametrize(("text", "line", "words"), MALFORMED)
def test_malformed_file_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, "bad.yml", text)
    with pytest.raises(DialogFileError) as caught:
        load_dialog(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in caught.value.message


async def test_malformed_file_fails_the_command_without_the_model(base_settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yml", "turns:\n  - usr: hola\n")
    out, err = io.StringIO(), io.StringIO()
    status = await dialog_tests(base_settings, [path], jsonl=True, out=out, err=err)
    assert status == 1
    row = json.loads(out.getvalue())
    assert row["error"]["line"] == 2 and "did you mean 'user'" in row["error"]["message"]
    assert err.getvalue().strip() == "0 passed, 1 failed"


def test_cli_has_the_subcommand() -> None:
    args = build_argparser().parse_args(["test-dialogs", "a.yml", "b", "--jsonl"])
    assert args.func is cmd_test_dialogs and args.paths == ["a.yml", "b"] and args.jsonl


# --- the shell as a workbench -------------------------------------------------------------------
async def test_conversation_saved_from_the_shell_replays_green(services: Services, tmp_path: Path) -> None:
    lines: list[str] = []
    state = ShellState(user="workbench")
    target = tmp_path / "saved" / "passport.yml"
    script = (
        ":lang es", "perdí mi pasaporte", ":press Colombia", "necesito un albergue", ":location -1.06 -80.46",
        ":explain", ":session", f":save {target} Passport then shelter",
    )
    for line in script:
        assert await interactive_turn(line, state, services.engine, services.renderer, lines.append)
    shown = "\n".join(lines)
    assert "step=answer:shelter" in shown and '"nationality": "CO"' in shown
    assert f"saved 4 turn(s) of workbench to {target}" in shown
    dialog = load_dialog(target)
    assert dialog.name == "Passport then shelter"
    assert [t.kind for t in dialog.turns] == ["user", "press", "user", "location"]
    assert dialog.turns[0].expect.intent == "lost_documents" and "ask_nationality" in dialog.turns[0].expect.sends
    assert "consulate.of" in dialog.turns[1].expect.sends
    outcomes = await run_paths([target], services)
    assert outcomes[0].passed, report(outcomes)


async def test_explain_shows_ranking_entities_and_step(services: Services) -> None:
    lines: list[str] = []
    state = ShellState(user="explainer")
    await interactive_turn(":explain", state, services.engine, services.renderer, lines.append)
    assert lines == ["  no turn yet"]
    await interactive_turn("perdí mi pasaporte", state, services.engine, services.renderer, lines.append)
    lines.clear()
    await interactive_turn(":explain", state, services.engine, services.renderer, lines.append)
    shown = "\n".join(lines)
    assert "step=ask:nationality" in shown and "0.950  lost_documents" in shown
    assert "document=passport" in shown and "sends: ask_nationality" in shown


async def test_shell_set_puts_the_person_in_a_situation(services) -> None:
    from bot.shell import set_detail

    assert "= CO" in await set_detail(services.engine, "setter", ["nationality", "co"])
    assert "= Portoviejo" in await set_detail(services.engine, "setter", ["city", "portoviejo"])
    assert "not an ISO 3166" in await set_detail(services.engine, "setter", ["nationality", "Narnia"])
    assert "usage" in await set_detail(services.engine, "setter", ["mood", "fine"])
    session = await services.engine.store.load("setter")
    assert (session.nationality, session.city, session.country) == ("CO", "Portoviejo", "EC") and session.has_location


async def test_explain_shows_the_danger_and_why(services: Services) -> None:
    lines: list[str] = []
    state = ShellState(user="explainer-danger")
    await interactive_turn("mi hijo no respira", state, services.engine, services.renderer, lines.append)
    assert any(line.startswith("  danger: medical (") for line in lines), lines
    lines.clear()
    await interactive_turn(":explain", state, services.engine, services.renderer, lines.append)
    assert any(line.startswith("  danger: medical (") for line in lines) and "step=danger:medical" in "\n".join(lines)
