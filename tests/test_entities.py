"""Entity helpers: countries and nationalities to ISO codes, documents, people, children, in every language."""
from __future__ import annotations

import pytest

from nlu.entities import EntityExtractor


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor.load(["Quito", "Guayaquil", "Portoviejo", "Lago Agrio", "Nueva Loja"])


def values(extractor: EntityExtractor, text: str, entity: str) -> list:
    return [e["value"] for e in extractor.extract(text) if e["entity"] == entity]


@pytest.mark.parametrize(
    ("text", "entity", "code"),
    [
        ("soy de venezuela", "country", "VE"),
        ("Soy venezolana", "nationality", "VE"),
        ("vengo de Colombia con mis hijos", "country", "CO"),
        ("somos de EE. UU.", "country", "US"),
        ("I am from Haiti", "country", "HT"),
        ("I'm Venezuelan", "nationality", "VE"),
        ("je suis haïtien", "nationality", "HT"),
        ("je viens du Pérou", "country", "PE"),
        ("sou brasileira", "nationality", "BR"),
        ("venho da Venezuela", "country", "VE"),
        ("mwen se ayisyen", "nationality", "HT"),
        ("m soti Kiba", "country", "CU"),
        ("mwen soti Venezwela", "country", "VE"),
        ("من سوريا", "country", "SY"),
        ("انا سوري", "nationality", "SY"),
        ("انا من كولومبيا", "country", "CO"),
        ("أنا من فنزويلا", "country", "VE"),
    ],
)
def test_country_and_nationality_normalised_to_iso(extractor: EntityExtractor, text: str, entity: str, code: str) -> None:
    assert values(extractor, text, entity) == [code]


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("perdí mi pasaporte", "passport"),
        ("se me quemó la cédula", "national_id"),
        ("I lost my birth certificate", "birth_certificate"),
        ("j'ai perdu ma carte de séjour", "residence_permit"),
        ("meu visto venceu", "visa"),
        ("mwen pèdi paspò m", "passport"),
        ("ضاع جواز السفر", "passport"),
    ],
)
def test_document_types(extractor: EntityExtractor, text: str, document: str) -> None:
    assert document in values(extractor, text, "document")


@pytest.mark.parametrize(
    ("text", "people", "children"),
    [
        ("somos 5 personas y 2 niños", 5, True),
        ("we are four with a baby", 4, True),
        ("nous sommes trois", 3, False),
        ("somos seis pessoas", 6, False),
        ("nou 4 moun ak timoun yo", 4, True),
        ("نحن 3 اشخاص مع اطفال", 3, True),
    ],
)
def test_people_and_children(extractor: EntityExtractor, text: str, people: int, children: bool) -> None:
    assert values(extractor, text, "people") == [people]
    assert bool(values(extractor, text, "children")) is children


def test_places_and_no_false_countries(extractor: EntityExtractor) -> None:
    assert values(extractor, "estoy en nueva loja", "city") == ["Nueva Loja"]
    assert values(extractor, "necesito comida y agua", "country") == []
    assert values(extractor, "I want to talk to a man", "country") == []
