"""The knowledge loaders reject bad entries and name file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from actions.loader import KnowledgeError, check_knowledge, load_contacts, load_knowledge, load_shelters

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = """- id: ok
  name: ECU 911
  service_type: emergency
  country: EC
  phones: [{number: "911", type: emergency}]
  source: {name: ECU 911, url: https://www.ecu911.gob.ec}
  last_verified: 2026-11-29
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contacts.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_knowledge_is_valid() -> None:
    knowledge, problems = check_knowledge(FIXTURES / "knowledge")
    assert problems == []
    assert len(knowledge.contacts) == 3 and len(knowledge.shelters) == 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("country: EC", "country: XX"), "not an ISO 3166"),
        (('"911"', '"12"'), "neither E.164 nor a valid short number"),
        (('"911"', '"+593 2 123"'), "not a valid E.164"),
        (("  source: {name: ECU 911, url: https://www.ecu911.gob.ec}\n", ""), "needs a name and a url"),
        (("2026-11-29", "29/11/2026"), "is not a date"),
        (("emergency\n  country", "rumours\n  country"), "service_type"),
    ],
)
def test_bad_contact_is_reported_with_its_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    contacts, problems = load_contacts(write(tmp_path, GOOD.replace(*change, 1)))
    assert problems, f"expected a problem containing {expected!r}"
    assert any(expected in p.message for p in problems), problems
    assert all(p.file == "contacts.yml" and p.line == 1 for p in problems)


def test_good_contact_has_no_problem(tmp_path: Path) -> None:
    contacts, problems = load_contacts(write(tmp_path, GOOD))
    assert problems == [] and contacts[0].phones[0].number == "911"


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    _, problems = load_contacts(write(tmp_path, GOOD + GOOD))
    assert [p.line for p in problems if "duplicate id" in p.message] == [8]


def test_shelter_out_of_range_and_missing_hxl_row(tmp_path: Path) -> None:
    header = "id,name,country,city,latitude,longitude,capacity,example,source_name,source_url,last_verified\n"
    hxl = "#loc+id,#loc+name,#country+code,#adm2+name,#geo+lat,#geo+lon,#capacity,#meta+example,#meta+source,#meta+url,#date+verified\n"
    row = "s1,Shelter,EC,Quito,-95.0,-78.4,10,yes,Test,https://example.org,2026-11-29\n"
    path = tmp_path / "shelters.csv"
    path.write_text(header + hxl + row, encoding="utf-8")
    _, problems = load_shelters(path)
    assert any(p.line == 3 and "out of range" in p.message for p in problems)
    path.write_text(header + row, encoding="utf-8")
    _, problems = load_shelters(path)
    assert any(p.line == 2 and "HXL" in p.message for p in problems)


def test_load_knowledge_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert "contacts.yml" in str(caught.value)
