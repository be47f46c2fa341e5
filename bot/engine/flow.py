"""The flow table: which details each request needs before it can be answered."""
from __future__ import annotations

from typing import Mapping

from nlu.needs import REQUEST_INTENTS

MENU_INTENTS = (*REQUEST_INTENTS, "human_agent")
SMALL_TALK = ("greet", "goodbye", "thanks", "affirm", "deny", "help", "change_language", "out_of_scope")

NATIONALITY, LOCATION, CONSENT = "nationality", "location", "consent"
NEEDS: Mapping[str, tuple[str, ...]] = {
    "lost_documents": (NATIONALITY,),
    "evacuation": (NATIONALITY,),
    "contact_consulate": (NATIONALITY,),
    "shelter": (LOCATION,),
}
# Nationalities offered as buttons: the largest migrant groups in Ecuador (2022 census).
COMMON_NATIONALITIES = ("VE", "CO", "HT", "CU", "PE", "EC")
