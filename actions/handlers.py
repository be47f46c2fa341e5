"""Answer each request intent with guidance and the right contacts, as Reply objects."""
from __future__ import annotations

from typing import Callable, Mapping

from actions.compose import (
    consulate_parts,
    contacts_reply,
    emergency_line,
    emergency_parts,
    shelter_parts,
    topic_reply,
)
from actions.context import ActionContext
from bot import messages as m
from bot.engine.reply import Button, Reply, Text, reply
from nlu.danger import PLAUSIBLE_INTENTS

SHELTER_RADIUS_KM = 100.0
Handler = Callable[[ActionContext], list[Reply]]


# Requests that may hide an emergency the danger check missed: their first message starts with the number.
NUMBER_FIRST = PLAUSIBLE_INTENTS


def _with_topic(topic_id: str, ctx: ActionContext, parts: list[Text]) -> list[Reply]:
    """Return the topic's guidance (when the knowledge has it) followed by a contacts reply."""
    topic = ctx.directory.knowledge.topics.get(topic_id)
    lead = (emergency_line(ctx),) if topic_id in NUMBER_FIRST else ()
    replies = [topic_reply(topic, *lead)] if topic else []
    if parts:
        replies.append(reply(*parts, buttons=(Button(m.BTN_MENU, "menu"),)))
    return replies


def _humanitarian(ctx: ActionContext) -> list[Text]:
    return contacts_reply(m.HUMANITARIAN, ctx.directory.humanitarian(ctx.country), ctx)


def lost_documents(ctx: ActionContext) -> list[Reply]:
    """Guide a person who lost their papers to their own consulate."""
    return _with_topic("lost_documents", ctx, consulate_parts(ctx))


def evacuation(ctx: ActionContext) -> list[Reply]:
    """Give evacuation guidance, the emergency number and the person's consulate."""
    return _with_topic("evacuation", ctx, emergency_parts(ctx) + consulate_parts(ctx))


def shelter(ctx: ActionContext) -> list[Reply]:
    """List the shelters nearest to the person's location."""
    session = ctx.session
    nearby = ctx.directory.nearest_shelters(session.lat or 0.0, session.lon or 0.0, max_km=SHELTER_RADIUS_KM)
    parts = shelter_parts(nearby, SHELTER_RADIUS_KM)
    if not nearby:
        parts += emergency_parts(ctx) + _humanitarian(ctx)
    return _with_topic("shelter", ctx, parts)


def medical_help(ctx: ActionContext) -> list[Reply]:
    """Put the emergency number first, then health guidance and services."""
    health = contacts_reply(None, ctx.directory.services(ctx.country, "health"), ctx)
    return _with_topic("medical_help", ctx, emergency_parts(ctx) + health + _humanitarian(ctx))


def find_family(ctx: ActionContext) -> list[Reply]:
    """Point to restoring-family-links services."""
    links = contacts_reply(None, ctx.directory.services(ctx.country, "family_links"), ctx)
    return _with_topic("find_family", ctx, links + _humanitarian(ctx))


def basic_needs(ctx: ActionContext) -> list[Reply]:
    """Point to organisations that distribute food, water and essentials."""
    return _with_topic("basic_needs", ctx, _humanitarian(ctx))


def legal_status(ctx: ActionContext) -> list[Reply]:
    """Explain rights regardless of status and point to legal and protection help."""
    legal = contacts_reply(None, ctx.directory.services(ctx.country, "legal"), ctx)
    return _with_topic("legal_status", ctx, legal + _humanitarian(ctx))


def safety(ctx: ActionContext) -> list[Reply]:
    """Put the emergency number first, then protection guidance and organisations."""
    return _with_topic("safety", ctx, emergency_parts(ctx) + _humanitarian(ctx))


def contact_consulate(ctx: ActionContext) -> list[Reply]:
    """Give the person's own consulate, with a humanitarian alternative."""
    return _with_topic("contact_consulate", ctx, consulate_parts(ctx))


HANDLERS: Mapping[str, Handler] = {
    "lost_documents": lost_documents,
    "evacuation": evacuation,
    "shelter": shelter,
    "medical_help": medical_help,
    "find_family": find_family,
    "basic_needs": basic_needs,
    "legal_status": legal_status,
    "safety": safety,
    "contact_consulate": contact_consulate,
}
