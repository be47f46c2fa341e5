"""A local fake of the Telegram Bot API over HTTP, for running the real Application offline.

It answers the methods the bot calls, records every call, hands out queued updates through
getUpdates (long polling) and can inject faults: 429 with retry_after, 5xx, slow answers, an API
that is down (502s), silent (no answer until it is back, then 502s) or gone (connections cut
and refused), and updates held back from getUpdates.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Amparo", "username": "amparo_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Fault:
    """Describe one injected failure for a method."""

    status: int = 429
    retry_after: int = 1
    delay: float = 0.0


@dataclass
class Call:
    """Record one Bot API call."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    received: float = 0.0


@dataclass
class FakeBotApi:
    """Serve the fake Bot API on 127.0.0.1 and keep what happened."""

    token: str = "123456:TEST"
    calls: list[Call] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    down: bool = False
    silent: bool = False
    hold: bool = False
    confirmed: int = 0
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))
    _update_ids: Any = field(default_factory=lambda: itertools.count(1))
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    _open: set[Any] = field(default_factory=set)
    port: int = 0

    @property
    def base_url(self) -> str:
        """Return the base URL to give python-telegram-bot (it appends the token and method)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def go_away(self) -> None:
        """Vanish like a crashed server: cut open connections, refuse new ones until `come_back`."""
        for transport in list(self._open):
            transport.abort()
        await self.stop()

    async def come_back(self) -> None:
        """Listen again on the same port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True).start()

    def inject(self, method: str, *faults: Fault | None) -> None:
        """Make the next calls of `method` fail in the given ways, in order (None: that call succeeds)."""
        self.faults.setdefault(method, []).extend(faults)

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; give it an id unless it has one."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._new_update.set()
        return update["update_id"]

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict[str, Any]]:
        """Return the parameters of successful calls of a method (optionally to one chat)."""
        return [c.params for c in self.calls if c.method == method and c.status == 200
                and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    async def wait_for(self, count: int, method: str = "sendMessage", chat_id: int | None = None, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Wait until at least `count` successful calls were recorded."""
        deadline = time.monotonic() + timeout
        while len(self.sent(method, chat_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} calls, got {len(self.sent(method, chat_id))}")
            await asyncio.sleep(0.02)
        return self.sent(method, chat_id)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = value if isinstance(value, str) else value.file.read().decode()
            try:
                params[key] = json.loads(text)
            except (TypeError, ValueError):
                params[key] = text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        if request.transport is not None:
            self._open.add(request.transport)
        try:
            return await self._answer(request, received)
        finally:
            self._open.discard(request.transport)

    async def _answer(self, request: web.Request, received: float) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        while self.silent:
            await asyncio.sleep(0.05)
            if not self.silent:
                return self._record(method, params, web.json_response({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502), received)
        if self.down:
            await asyncio.sleep(0.05)
            return self._record(method, params, web.json_response({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502), received)
        if request.match_info["token"] != self.token:
            return self._record(method, params, web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401), received)
        pending = self.faults.get(method)
        fault = pending.pop(0) if pending else None
        if fault is not None:
            await asyncio.sleep(fault.delay)
            if fault.status == 429:
                body = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {fault.retry_after}",
                        "parameters": {"retry_after": fault.retry_after}}
                return self._record(method, params, web.json_response(body, status=429), received)
            if fault.status >= 500:
                body = {"ok": False, "error_code": fault.status, "description": "Internal Server Error"}
                return self._record(method, params, web.json_response(body, status=fault.status), received)
        result = await self._result(method, params)
        return self._record(method, params, web.json_response({"ok": True, "result": result}), received)

    def _record(self, method: str, params: dict[str, Any], response: web.Response, received: float) -> web.Response:
        self.calls.append(Call(method, params, time.monotonic(), response.status, received))
        return response

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return await self._get_updates(params)
        if method in ("sendMessage", "sendLocation", "editMessageText"):
            chat = {"id": int(params.get("chat_id", 0)), "type": "private" if int(params.get("chat_id", 0)) > 0 else "supergroup"}
            message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": BOT_USER}
            if "text" in params:
                message["text"] = params["text"]
            return message
        if method == "createForumTopic":
            return {"message_thread_id": next(self._message_ids), "name": params.get("name", ""), "icon_color": 7322096}
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self.confirmed = max(self.confirmed, offset)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if self.hold:  # the updates exist but Telegram has not handed them out yet
            await asyncio.sleep(min(float(params.get("timeout") or 0), 0.2))
            return []
        if not self._updates:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=min(float(params.get("timeout") or 0), 1.0))
            except asyncio.TimeoutError:
                pass
        return list(self._updates[: int(params.get("limit") or 100)])


_counter = itertools.count(1)


def user(uid: int, language: str | None = "es") -> dict[str, Any]:
    """Build a Telegram user."""
    return {"id": uid, "is_bot": False, "first_name": f"User{uid}", **({"language_code": language} if language else {})}


def message(
    uid: int, text: str | None = None, language: str | None = "es", chat_type: str = "private", chat_id: int | None = None, **extra: Any
) -> dict[str, Any]:
    """Build a message update from a user in their private chat (or a group)."""
    chat = {"id": chat_id or (uid if chat_type == "private" else -100000 - uid), "type": chat_type}
    if chat_type == "supergroup":
        chat["is_forum"] = True
    msg: dict[str, Any] = {"message_id": next(_counter), "date": int(time.time()), "chat": chat, "from": user(uid, language), **extra}
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": msg}


def callback(uid: int, data: str, language: str | None = "es", chat_id: int | None = None) -> dict[str, Any]:
    """Build a callback-query update (an inline button press), in a private chat or a staff group."""
    chat = {"id": chat_id or uid, "type": "private" if not chat_id or chat_id > 0 else "supergroup"}
    origin = {"message_id": next(_counter), "date": int(time.time()), "chat": chat, "from": BOT_USER, "text": "…"}
    return {"callback_query": {"id": str(next(_counter)), "from": user(uid, language), "chat_instance": str(uid), "data": data, "message": origin}}


def inline_buttons(params: dict[str, Any]) -> list[str]:
    """Return the callback data of the inline buttons a sendMessage call carried."""
    markup = params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
