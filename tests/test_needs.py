"""Several needs per message, and the evaluation of realistic and danger sets, without the Rasa model."""
from __future__ import annotations

from nlu.danger import DangerDetector
from nlu.evaluate import Example
from nlu.evaluate_danger import DangerExample, evaluate_danger
from nlu.evaluate_real import RealExample, evaluate_real
from nlu.needs import NeedPolicy, combine, segments
from nlu.parser import Parser

WORDS = {"comida": "basic_needs", "agua": "basic_needs", "albergue": "shelter", "carpa": "shelter", "medicina": "medical_help", "hola": "greet", "bendiga": "thanks", "noticia": "out_of_scope"}


def rank(text: str) -> list[tuple[str, float]]:
    """Score like a classifier: the intents of the keywords present share the probability."""
    found = [intent for word, intent in WORDS.items() if word in text.lower()]
    if not found:
        return [("out_of_scope", 0.4), ("help", 0.3)]
    share = 0.9 / len(found)
    scores: dict[str, float] = {}
    for intent in found:
        scores[intent] = scores.get(intent, 0.0) + share
    return sorted(scores.items(), key=lambda kv: -kv[1]) + [("out_of_scope", 0.05)]


class _Model:
    def rank(self, text: str) -> list[tuple[str, float]]:
        return rank(text)


def test_segments_split_sentences_and_clauses_but_keep_short_bits_attached() -> None:
    assert segments("Hola. Perdimos la casa, no tenemos comida; y los niños\nnecesitan medicina") == [
        "Hola. Perdimos la casa",  # "Hola." alone is too short to stand as a sentence
        "no tenemos comida",
        "y los niños",
        "necesitan medicina",
    ]


def test_every_need_of_a_long_message_is_found_even_the_last_one() -> None:
    story = "Buenas noches, se cayo la casa y dormimos en la calle con los niños. " * 5
    ranking, needs = combine(story + "Necesitamos una carpa, comida y medicina para la abuela.", rank)
    found = [intent for intent, _ in needs]
    assert set(found) == {"shelter", "basic_needs", "medical_help"}
    assert ranking[0][0] == found[0], "the main intent comes first in both"


def test_a_greeting_or_blessing_around_a_request_gives_way_to_the_request() -> None:
    ranking, needs = combine("hola hola hola amigos, Dios les bendiga, hola, necesitamos comida", rank)
    assert ranking[0][0] == "basic_needs" and needs[0][0] == "basic_needs"
    short, none = combine("hola", rank)
    assert short[0][0] == "greet" and none == []


def test_a_second_need_needs_its_own_evidence() -> None:
    strict = NeedPolicy(second_min=0.99, second_whole=0.99)
    _, needs = combine("necesitamos comida. y un albergue por favor", rank, strict)
    assert [intent for intent, _ in needs] == ["basic_needs"]
    _, needs = combine("necesitamos comida. y un albergue por favor", rank)
    assert [intent for intent, _ in needs] == ["basic_needs", "shelter"]


def test_the_parse_json_lists_every_need(parser: Parser) -> None:
    parser.model = _Model()
    parsed = parser.parse_sync("no tenemos agua, y necesitamos un albergue")
    shown = parsed.to_json()
    assert shown["intent"] == parsed.intent and [n["intent"] for n in shown["intents"]] == ["basic_needs", "shelter"]


def test_the_realistic_evaluation_counts_single_several_and_unrelated(parser: Parser) -> None:
    parser.model = _Model()
    examples = [
        RealExample("es", ("basic_needs",), "no hay comida en el barrio"),
        RealExample("es", ("shelter",), "necesitamos comida"),  # answered wrongly
        RealExample("es", ("shelter", "basic_needs"), "una carpa. y agua por favor"),
        RealExample("es", ("out_of_scope",), "la noticia de hoy"),
        RealExample("es", ("out_of_scope",), "quieren agua de coco jaja"),  # unrelated, taken as a need
    ]
    report = evaluate_real(parser, examples, threshold=0.2)["per_language"]["es"]
    assert report["single_accuracy"] == 0.5
    assert report["several_at_least_one"] == 1.0 and report["several_all"] == 1.0
    assert report["unrelated_taken_as_need"] == 0.5


def test_the_danger_evaluation_counts_recall_false_alarms_and_near_misses() -> None:
    detector = DangerDetector({"medical": {"es": ["sangr*"]}})
    danger = [
        DangerExample("es", "mi hijo sangra", "medical"),
        DangerExample("es", "no respira", "medical"),  # missed
        DangerExample("es", "me muero de sangre fria jaja", None),  # a near miss, flagged
    ]
    ordinary = [Example("es", "lost_documents", "perdi el pasaporte"), Example("es", "medical_help", "tengo sangrado leve")]
    report = evaluate_danger(detector, danger, ordinary)["overall"]
    assert report["recall"] == 0.5 and report["n_danger"] == 2
    assert report["false_alarms"] == 0.0 and report["n_ordinary"] == 1, "medical requests are reported apart"
    assert report["hard_negative_false_alarms"] == 1.0
    assert report["flagged_safety_medical_evacuation"] == 1.0
