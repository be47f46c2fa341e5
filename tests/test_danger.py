"""The danger detector: pattern syntax, normalisation, and the real lexicon in six languages."""
from __future__ import annotations

import pytest

from nlu.danger import KINDS, DangerDetector, normalise

SMALL = {
    "medical": {"es": ["sangr*", "no .. respir*", "(se) desmay*"], "ar": ["لا يتنفس", "ينزف"]},
    "violence": {"en": ["threaten* .. knife"]},
    "plea": {"es": ["auxilio"]},
}


@pytest.fixture(scope="module")
def small() -> DangerDetector:
    return DangerDetector(SMALL)


@pytest.fixture(scope="module")
def lexicon() -> DangerDetector:
    return DangerDetector.load()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mi hijo SANGRAAA mucho", "medical"),  # caps and repeated letters
        ("no esta respirando", "medical"),  # a gap of one word
        ("no puede casi respirar", "medical"),  # a gap of two words
        ("se desmayo", "medical"),  # an optional word present
        ("desmayada", "medical"),  # ... and absent
        ("sagrando", "medical"),  # a prefix with a letter missing
        ("ابني ينزف", "medical"),
        ("وينزف كثيرا", "medical"),  # Arabic conjunction attached
        ("a man threatens me with a knife", "violence"),
        ("auxiiilio", "plea"),
    ],
)
def test_pattern_syntax_matches(small: DangerDetector, text: str, kind: str) -> None:
    found = small.detect(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize("text", ["perdi mi pasaporte", "sang", "knife", "respira hondo, no pasa nada"])
def test_pattern_syntax_does_not_overmatch(small: DangerDetector, text: str) -> None:
    # Word order counts; a short word is no typo of a long prefix; one word of a pattern is not enough.
    assert small.detect(text) is None


def test_gap_is_limited_to_three_words(small: DangerDetector) -> None:
    assert small.detect("no uno dos tres respira") is not None
    assert small.detect("no uno dos tres cuatro respira") is None


def test_most_pressing_kind_comes_first(small: DangerDetector) -> None:
    found = small.detect("auxilio, un hombre threatens me with a knife y mi hijo sangra")
    assert found is not None and found.kinds == ("medical", "violence", "plea")
    rescue = DangerDetector({"medical": {"es": ["sangr*"]}, "trapped": {"es": ["atrapad*"]}}).detect("atrapados y sangrando")
    assert rescue is not None and rescue.kind == "trapped", "rescue comes before first aid"


def test_danger_at_the_end_of_a_long_message_is_found(small: DangerDetector) -> None:
    story = "buenas noches, les escribo desde el albergue de la escuela. " * 40 + "mi bebe no respira"
    assert len(story) > 2000
    found = small.detect(story)
    assert found is not None and found.kind == "medical"


def test_normalise_folds_case_accents_and_repeats() -> None:
    assert normalise("ÁYÚDAAAA") == "ayuda"
    assert normalise("إنقاذ") == normalise("انقاذ")


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown danger kinds"):
        DangerDetector({"earthquake": {"es": ["temblor"]}})


def test_lexicon_covers_every_kind_in_every_language() -> None:
    import yaml

    from nlu.danger import DANGER_FILE

    data = yaml.safe_load(DANGER_FILE.read_text(encoding="utf-8"))
    for kind in KINDS:
        assert set(data[kind]) >= {"es", "en", "fr", "pt", "ht", "ar"}, kind
        assert all(len(data[kind][lang]) >= 5 for lang in data[kind]), kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ابني ينزف ولا يتنفس", "medical"),
        ("طفلي لا يتنفس", "medical"),
        ("ya no quiero vivir, perdi todo en el terremoto", "suicide"),
        ("je veux mourir", "suicide"),
        ("mwen vle mouri", "suicide"),
        ("hay una señora atrapada bajo los escombros en pedernales", "trapped"),
        ("alerta de tsunami en pedernales", "tsunami"),
        ("mi niña de dos años se cayo y no se despierta", "medical"),
        ("no para de sangrar", "medical"),
        ("me violaron anoche cerca del albergue", "sexual_violence"),
        ("vão me matar", "violence"),
        ("ils vont me tuer", "violence"),
        ("رجل يهددني بسكين", "violence"),
        ("tengo 13 años estoy solo no encuentro a mi mama", "child_alone"),
        ("my wife is pregnant and bleeding a lot", "medical"),
        ("LI PA RESPIRE", "medical"),
        ("ib2i ma 3am yetnaffas", "medical"),
        ("mi marido me pega", "domestic_violence"),
        ("socorro", "plea"),
    ],
)
def test_lexicon_recognises_the_reported_failures(lexicon: DangerDetector, text: str, kind: str) -> None:
    found = lexicon.detect(text)
    assert found is not None and kind in found.kinds, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "perdí mi pasaporte, lo necesito urgente",
        "where is the nearest shelter, our house fell down yesterday",
        "j'ai besoin de nourriture et d'eau pour mes enfants",
        "preciso renovar meu visto",
        "mwen bezwen manje",
        "أين أجد مكتب القنصلية",
        "hola buenos dias",
        "thank you so much",
        "mi hermano no contesta desde el terremoto, ayudenme a encontrarlo",
    ],
)
def test_lexicon_leaves_ordinary_requests_alone(lexicon: DangerDetector, text: str) -> None:
    assert lexicon.detect(text) is None, text


def test_alternatives_and_exact_words() -> None:
    detector = DangerDetector({"domestic_violence": {"es": ["(esposo|marido) .. (pega*|golpea*)"]}, "medical": {"fr": ["=saigne", "(il|elle|) =convulse"]}})
    assert detector.detect("mi marido me golpea").kind == "domestic_violence"
    assert detector.detect("el esposo siempre me pega").kind == "domestic_violence"
    assert detector.detect("mi hermano me pega") is None
    assert detector.detect("il saigne").kind == "medical"
    assert detector.detect("il saignr") is None, "an exact word tolerates no typo"
    assert detector.detect("elle convulse").kind == "medical" and detector.detect("convulse").kind == "medical"


def test_a_wide_gap_allows_six_words() -> None:
    detector = DangerDetector({"child_alone": {"en": ["(boy|girl) ... alone"]}})
    assert detector.detect("a little boy maybe three years old all alone").kind == "child_alone"
    assert detector.detect("a boy one two three four five six seven alone") is None


def test_a_broken_alternative_is_refused() -> None:
    with pytest.raises(ValueError, match="single words"):
        DangerDetector({"plea": {"en": ["(help me|save me) now"]}})


class _Model:
    """Stand in for the danger classifier and remember the threshold it was asked for."""

    threshold = 0.5

    def __init__(self) -> None:
        self.asked: list[float | None] = []

    def kinds(self, message: str, threshold: float | None = None) -> list[tuple[str, float]]:
        self.asked.append(threshold)
        return [("suicide", 0.3)] if "bridge" in message and (threshold or 0.5) < 0.5 else []


def test_the_classifier_adds_kinds_and_weaker_evidence_counts_for_plausible_requests() -> None:
    from nlu.danger import PLAUSIBLE_THRESHOLD

    model = _Model()
    detector = DangerDetector({"plea": {"en": ["sos"]}}, model=model)
    assert detector.detect("i am on the bridge") is None, "0.3 is below the classifier's own threshold"
    found = detector.detect("i am on the bridge", intent="medical_help")
    assert found is not None and found.kind == "plea", "weak evidence gets the general urgent answer"
    assert found.evidence == ("classifier 0.30 (suicide, weak)",)
    assert model.asked == [None, PLAUSIBLE_THRESHOLD]
    assert detector.detect("i am on the bridge", intent="lost_documents") is None
    both = detector.detect("sos i am on the bridge", intent="safety")
    assert both is not None and both.kinds == ("plea",) and both.evidence == ("sos",), "the patterns' evidence comes first"


def test_the_fast_danger_scorer_matches_scikit_learn(danger: DangerDetector) -> None:
    import numpy as np

    model = danger.model
    assert model is not None, "the danger classifier is trained from nlu/danger_data"
    texts = ["mi hijo no respira", "necesito un albergue para esta noche", "ابني ينزف", "li pa respire ankò"]
    expected = model._pipeline.predict_proba(texts)
    got = [[row[k] for k in model._classes if k != "none"] for row in model.scores(texts)]
    keep = [i for i, k in enumerate(model._classes) if k != "none"]
    assert np.allclose(np.asarray(expected)[:, keep], np.asarray(got), atol=1e-9)
