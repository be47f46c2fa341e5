"""A simulated staff desk for the shell: shows what staff would receive, instead of Telegram."""
from __future__ import annotations

from bot.cases.desks import Desk
from bot.cases.model import Case
from bot.cases.staff import case_card
from bot.engine.reply import Verbatim, reply
from bot.i18n import Renderer
from bot.messages import STAFF_REMINDER


class SimulatedDesk:
    """Collect the case cards and reminders staff would see, rendered in the desk's language."""

    def __init__(self, renderer: Renderer) -> None:
        """Render with this renderer."""
        self.renderer = renderer
        self.shown: list[str] = []

    def _show(self, desk: Desk, text: str) -> None:
        name = self.renderer.value(desk.name, desk.language)
        self.shown.append(f"[simulated staff desk: {name}]\n{text}")

    async def announce(self, case: Case, desk: Desk) -> None:
        """Record the case card."""
        self._show(desk, self.renderer.render(case_card(case), desk.language).text)

    async def remind(self, case: Case, desk: Desk) -> None:
        """Record a reminder."""
        self._show(desk, self.renderer.render(reply(STAFF_REMINDER.with_params(case=Verbatim(case.id))), desk.language).text)

    def drain(self) -> list[str]:
        """Return and forget what was shown since the last call."""
        shown, self.shown = self.shown, []
        return shown
