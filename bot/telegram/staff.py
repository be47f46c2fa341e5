"""The staff console on Telegram: case topics and cards, Claim/Close, replies relayed both ways."""
from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.ext import ContextTypes

from bot.cases.desks import Desk
from bot.cases.model import Case
from bot.cases.staff import Outcome, StaffConsole, case_card
from bot.cases.store import CaseStore
from bot.engine.reply import Reply, Verbatim, reply
from bot.i18n import Renderer
from bot.messages import STAFF_NOT_ALLOWED, STAFF_PERSON_SAYS, STAFF_REMINDER
from bot.services import Services
from bot.telegram.handlers import services_of
from bot.telegram.send import deliver

log = logging.getLogger(__name__)


def topic_name(case: Case) -> str:
    """Name a case's forum topic: id, the person's language and nationality (codes, no words)."""
    return f"{case.id} · {case.language.upper()} · {case.nationality or '??'}"


class TelegramStaffChannel:
    """Announce cases in the desk's supergroup: one forum topic per case, with its card."""

    def __init__(self, bot: Bot, renderer: Renderer, store: CaseStore) -> None:
        """Use this bot, renderer and case store."""
        self.bot, self.renderer, self.store = bot, renderer, store

    async def announce(self, case: Case, desk: Desk) -> None:
        """Create the case's topic once (remembered at once, so a retry never makes two) and post the card."""
        if desk.chat_id is None:
            raise LookupError("no staff group configured for this desk")
        if case.staff_thread is None:
            topic = await self.bot.create_forum_topic(desk.chat_id, topic_name(case))
            case.staff_chat, case.staff_thread = desk.chat_id, topic.message_thread_id
            await self.store.save(case)
            await self.store.link_thread(desk.chat_id, topic.message_thread_id, case.id)
        await self._post(desk, case, case_card(case))

    async def remind(self, case: Case, desk: Desk) -> None:
        """Post a reminder in the case's topic."""
        await self._post(desk, case, reply(STAFF_REMINDER.with_params(case=Verbatim(case.id))))

    async def person_wrote(self, case: Case, desk: Desk, text: str) -> None:
        """Show the person's new message in the case's topic (if the topic exists yet)."""
        if desk.chat_id is not None and case.staff_thread is not None:
            await self._post(desk, case, reply(STAFF_PERSON_SAYS.with_params(text=Verbatim(text))))

    async def _post(self, desk: Desk, case: Case, item: Reply) -> None:
        assert desk.chat_id is not None
        await deliver(self.bot, desk.chat_id, self.renderer.render(item, desk.language), thread_id=case.staff_thread)


async def _send_outcome(context: ContextTypes.DEFAULT_TYPE, outcome: Outcome, chat_id: int) -> None:
    """Send an outcome: staff notices to the case topic, person notices to the person in their language."""
    services = services_of(context)
    case = outcome.case
    assert case is not None
    desk = services.knowledge.desks().get(case.desk)
    for item in outcome.to_staff:
        await deliver(context.bot, chat_id, services.renderer.render(item, desk.language), thread_id=case.staff_thread)
    for item in outcome.to_person:
        await deliver(context.bot, int(case.user), services.renderer.render(item, case.language))


def _group_language(update: Update, services: Services) -> str:
    """Return the language of the staff group's desk (the default language for any other chat)."""
    desk = services.knowledge.desks().by_chat(update.effective_chat.id)
    return desk.language if desk else services.settings.default_language


async def _refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: Outcome) -> None:
    services = services_of(context)
    text = services.renderer.text(outcome.refusal or STAFF_NOT_ALLOWED, _group_language(update, services))
    log.warning("staff action refused")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(text)


async def on_case_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle Claim and Close; anyone not on the desk's staff is refused."""
    services = services_of(context)
    console = StaffConsole(services.cases, services.knowledge.desks())
    query = update.callback_query
    outcome = await console.press(update.effective_chat.id, query.from_user.id, query.data or "")
    if not outcome.ok:
        await _refuse(update, context, outcome)
        return
    await query.answer()
    await _send_outcome(context, outcome, update.effective_chat.id)


async def on_staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Relay a staff member's message in a case topic to the person; ignore everyone else."""
    message = update.effective_message
    if not message.message_thread_id or not message.text:
        return
    services = services_of(context)
    console = StaffConsole(services.cases, services.knowledge.desks())
    outcome = await console.relay(update.effective_chat.id, message.message_thread_id, update.effective_user.id, message.text)
    if outcome.ok:
        await _send_outcome(context, outcome, update.effective_chat.id)
    elif outcome.case is not None:
        await _refuse(update, context, outcome)
    else:
        log.info("message in a staff group not relayed")


async def on_cases_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the desk's open cases, oldest first (staff only)."""
    services = services_of(context)
    console = StaffConsole(services.cases, services.knowledge.desks())
    outcome = await console.listing(update.effective_chat.id, update.effective_user.id)
    if not outcome.ok:
        await _refuse(update, context, outcome)
        return
    language = _group_language(update, services)
    for item in outcome.to_staff:
        await deliver(context.bot, update.effective_chat.id, services.renderer.render(item, language), thread_id=update.effective_message.message_thread_id)
