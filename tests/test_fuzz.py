"""Fuzz the engine and the Telegram send path: always a reply, never a crash, user text always escaped.

Text is any sequence of Unicode scalar values (what UTF-8 can carry, which is all Telegram sends):
control and bidi characters, markup, very long messages. The keyword stand-in parser and a real
Redis keep each example to a few milliseconds.
"""
from __future__ import annotations

import html
import re
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.turn import Location, Turn
from bot.i18n import RenderedReply
from bot.services import Services
from bot.telegram.send import MAX_MESSAGE, messages

# What Telegram's HTML mode accepts as plain text: no tags, and "&" only in the entities we write.
ESCAPED = re.compile(r"(?:[^<>&]|&(?:amp|lt|gt);)*", re.S)
MARKUP = ("<b>", "</b>", "<a href='http://x'>", "</pre>", "<script>", "&", "&amp;", "&lt;", "&#60;", "*", "_", "`",
          "```", "[link](http://x)", "||", "{", "}", "{name}", "%s", "\\")
SPECIAL = ("\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u200b", "\u200d", "\ufeff",
           "\x00", "\x1b", "\r", "\n", "\t", "\u0301", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "ﷺ", "/")
ANY_CHAR = st.characters(exclude_categories=[])  # lone surrogates too: a JSON escape can carry them
PIECE = st.one_of(st.text(ANY_CHAR, max_size=30), st.sampled_from(MARKUP), st.sampled_from(SPECIAL),
                  st.sampled_from(("pasaporte", "albergue", "hola", "gracias", "/start", "/forget", "Quito", "venezolano")))
TEXT = st.one_of(
    st.lists(PIECE, max_size=12).map("".join),
    st.builds(lambda piece, times: piece * times, st.lists(PIECE, min_size=1, max_size=4).map("".join), st.integers(100, 1500)),
)
BUTTON = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.builds(lambda kind, value: f"{kind}:{value}", st.sampled_from(("intent", "nat", "lang", "more", "menu", "forget", "esc", "case")),
              st.text(ANY_CHAR, max_size=70)),
)
COORDINATE = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from((-90.0, 90.0, -180.0, 180.0, 90.0001, -0.97)))
HINT = st.one_of(st.none(), st.sampled_from(("es", "en", "fr", "pt-BR", "ht", "ar", "fr-HT", "zh-hans", "x", "")), st.text(ANY_CHAR, max_size=12))


def turns() -> st.SearchStrategy[Turn]:
    """Build turns of every kind, from fresh users."""
    user = st.builds(lambda: str(uuid.uuid4().int % 10**12))
    return st.one_of(
        st.builds(lambda u, t, h: Turn(u, text=t, language_hint=h), user, TEXT, HINT),
        st.builds(lambda u, b, h: Turn(u, button=b, language_hint=h), user, BUTTON, HINT),
        st.builds(lambda u, la, lo, h: Turn(u, location=Location(la, lo), language_hint=h), user, COORDINATE, COORDINATE, HINT),
    )


def check_parts(parts: list[tuple[str, object]]) -> None:
    """Every part fits in one Telegram message and is safe, fully escaped HTML."""
    assert parts
    for text, _ in parts:
        assert len(text) <= MAX_MESSAGE
        assert ESCAPED.fullmatch(text), "user text reaches Telegram escaped, never as markup"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(turn=turns(), follow_up=st.lists(turns(), max_size=2))
async def test_engine_always_answers(services: Services, turn: Turn, follow_up: list[Turn]) -> None:
    for item in [turn, *(Turn(turn.user, f.text, f.button, f.location, f.language_hint) for f in follow_up)]:
        result = await services.engine.handle(item)
        assert result.replies, "every turn gets an answer"
        assert result.language in services.renderer.locales
        for reply in result.replies:
            check_parts(messages(services.renderer.render(reply, result.language)))


@settings(max_examples=200, deadline=None)
@given(
    text=TEXT,
    buttons=st.lists(st.tuples(st.text(ANY_CHAR, min_size=1, max_size=40), st.text(ANY_CHAR, min_size=1, max_size=64)), max_size=8),
    ask_location=st.booleans(),
)
def test_send_path_escapes_and_splits(text: str, buttons: list[tuple[str, str]], ask_location: bool) -> None:
    reply = RenderedReply(text, tuple(buttons), ask_location, "📍" if ask_location else "")
    parts = messages(reply)
    check_parts(parts)
    joined = html.unescape("".join(part for part, _ in parts))
    assert joined.replace("\n", "") == text.replace("\n", ""), "nothing lost or repeated; only line breaks become splits"
    assert all(markup is None for _, markup in parts[:-1]), "the keyboard rides on the last part only"
    assert (parts[-1][1] is not None) == (ask_location or bool(buttons))
