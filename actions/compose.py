"""Turn knowledge entries into reply parts (message ids + typed parameters)."""
from __future__ import annotations

from actions.context import ActionContext
from actions.knowledge import Contact, Phone, Topic
from actions.lookup import NearbyShelter
from bot import messages as m
from bot.engine.reply import Button, Country, Distance, Reply, Text, Verbatim, as_day, reply

MAP_URL = "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"


def menu_buttons() -> tuple[Button, ...]:
    """Return the buttons of the main menu."""
    return tuple(Button(label, f"intent:{intent}") for intent, label in m.TOPIC_LABELS.items())


def topic_reply(topic: Topic, *lead: Text) -> Reply:
    """Show a guidance topic's title and numbered steps (after any lead lines), with a button for details."""
    context = f"guidance:{topic.id}"
    parts = [*lead, Text(context, topic.title)]
    parts += [m.STEP.with_params(number=i, text=Text(context, step)) for i, step in enumerate(topic.steps, 1)]
    buttons = (Button(m.BTN_MORE, f"more:{topic.id}"),) if topic.more else ()
    return reply(*parts, buttons=(*buttons, Button(m.BTN_HUMAN, "esc:offer"), Button(m.BTN_MENU, "menu")))


def topic_more(topic: Topic) -> Reply:
    """Show a topic's details and its sources."""
    context = f"guidance:{topic.id}"
    parts = [Text(context, line) for line in topic.more] or [m.MORE_NONE]
    names = ", ".join(s.name for s in topic.sources)
    parts.append(m.SOURCES.with_params(sources=Verbatim(names)))
    return reply(*parts, buttons=(Button(m.BTN_MENU, "menu"),))


def contact_parts(contact: Contact, ctx: ActionContext) -> list[Text]:
    """Describe one contact; phones appear only for sourced entries."""
    if not contact.source.url:
        return []
    parts = [m.CONTACT_HEADING.with_params(name=Verbatim(contact.name))]
    if contact.description:
        parts.append(Text(f"contact:{contact.id}", contact.description))
    if contact.city:
        parts.append(m.CONTACT_PLACE.with_params(city=Verbatim(contact.city), country=Country(contact.country)))
    parts += [m.CONTACT_PHONE.with_params(phone=Verbatim(p.number)) for p in contact.phones]
    if contact.address:
        parts.append(m.CONTACT_ADDRESS.with_params(address=Verbatim(contact.address)))
    if contact.hours:
        parts.append(m.CONTACT_HOURS.with_params(hours=Verbatim(contact.hours)))
    if contact.url:
        parts.append(m.CONTACT_WEB.with_params(url=Verbatim(contact.url)))
    if (ctx.today - contact.last_verified).days > ctx.stale_after_days:
        parts.append(m.CONTACT_STALE.with_params(date=as_day(contact.last_verified)))
    else:
        parts.append(m.CONTACT_SOURCE.with_params(source=Verbatim(contact.source.name), date=as_day(contact.last_verified)))
    return parts


def emergency_parts(ctx: ActionContext) -> list[Text]:
    """Say which number to call in an emergency in the person's current country."""
    parts: list[Text] = []
    for phone in ctx.directory.emergency_phones(ctx.country):
        kind = m.EMERGENCY_KINDS.get(phone.kind)
        number = Verbatim(phone.number)
        if kind:
            parts.append(m.EMERGENCY_CALL_KIND.with_params(service=kind, country=Country(ctx.country), number=number))
        else:
            parts.append(m.EMERGENCY_CALL.with_params(country=Country(ctx.country), number=number))
    return parts or [m.EMERGENCY_UNKNOWN.with_params(country=Country(ctx.country))]


def contacts_reply(heading: Text | None, contacts: list[Contact], ctx: ActionContext) -> list[Text]:
    """List contacts under an optional heading."""
    parts: list[Text] = [heading] if heading and contacts else []
    for contact in contacts:
        parts += contact_parts(contact, ctx)
    return parts


def consulate_parts(ctx: ActionContext) -> list[Text]:
    """Give the person's own consulate where they are, or say honestly that none is known."""
    nationality, country = ctx.session.nationality or "", ctx.country
    humanitarian = contacts_reply(m.HUMANITARIAN, ctx.directory.humanitarian(country), ctx)
    if nationality == country:
        return contacts_reply(None, ctx.directory.services(country, "government"), ctx) + humanitarian
    consulates = ctx.directory.consulates(nationality, country)
    if not consulates:
        none = m.CONSULATE_NONE.with_params(nationality=Country(nationality), country=Country(country))
        return [none, *humanitarian]
    heading = m.CONSULATE_OF.with_params(nationality=Country(nationality), country=Country(country))
    return [*contacts_reply(heading, consulates, ctx), m.CONSULATE_FEAR, *humanitarian]


def shelter_parts(nearby: list[NearbyShelter], max_km: float) -> list[Text]:
    """List the nearest shelters with distance and map link, flagging example entries."""
    if not nearby:
        return [m.SHELTERS_NONE.with_params(distance=Distance(max_km))]
    parts = [m.SHELTERS_NEAREST]
    for item in nearby:
        shelter = item.shelter
        url = MAP_URL.format(lat=shelter.latitude, lon=shelter.longitude)
        parts.append(
            m.SHELTER_ITEM.with_params(
                name=Verbatim(shelter.name), city=Verbatim(shelter.city), distance=Distance(item.km), map=Verbatim(url)
            )
        )
        if shelter.example:
            parts.append(m.SHELTER_EXAMPLE)
    return parts


# Which service answers first for each kind of danger, where a country has one number per service.
DANGER_SERVICES = {
    "medical": ("ambulance",),
    "suicide": ("ambulance",),
    "sexual_violence": ("ambulance",),
    "trapped": ("fire",),
    "flood": ("fire",),
    "tsunami": ("fire",),
    "volcano": ("fire",),
    "violence": ("police",),
    "domestic_violence": ("police",),
    "child_alone": ("police",),
}


def _call_first(phones: list[Phone], kind: str | None = None) -> Phone:
    """Pick the number to call first: the general one, else the service for this kind of danger, else the first."""
    general = [p for p in phones if p.kind not in m.EMERGENCY_KINDS]
    wanted = [p for s in DANGER_SERVICES.get(kind or "", ()) for p in phones if p.kind == s]
    return (general or wanted or phones)[0]


def emergency_now(ctx: ActionContext, kind: str) -> list[Text]:
    """Start an answer to danger: the number to call now (the right service first), then the others."""
    phones = ctx.directory.emergency_phones(ctx.country)
    country = Country(ctx.country)
    if not phones:
        return [m.EMERGENCY_NOW_UNKNOWN.with_params(country=country)]
    first = _call_first(phones, kind)
    if first.kind in m.EMERGENCY_KINDS:
        lines = [m.EMERGENCY_NOW_KIND.with_params(number=Verbatim(first.number), service=m.EMERGENCY_KINDS[first.kind], country=country)]
    else:
        lines = [m.EMERGENCY_NOW.with_params(number=Verbatim(first.number), country=country)]
    for phone in phones:
        if phone is not first and phone.kind in m.EMERGENCY_KINDS and phone.number != first.number:
            lines.append(m.EMERGENCY_ALSO.with_params(service=m.EMERGENCY_KINDS[phone.kind], number=Verbatim(phone.number)))
    return lines


def emergency_line(ctx: ActionContext) -> Text:
    """Return the one short line with the local emergency number that ends every fallback."""
    phones = ctx.directory.emergency_phones(ctx.country)
    if not phones:
        return m.EMERGENCY_SHORT_UNKNOWN
    return m.EMERGENCY_SHORT.with_params(country=Country(ctx.country), number=Verbatim(_call_first(phones).number))


def danger_advice(ctx: ActionContext, kind: str) -> list[Text]:
    """Return at most three lines of sourced advice for this kind of danger."""
    topic = ctx.directory.knowledge.topics.get(f"danger_{kind}")
    if topic is None:
        return []
    context = f"guidance:{topic.id}"
    return [Text(context, step) for step in topic.steps[:3]]
