"""Telegram channel: a replacement for Rasa's stock connector, which does not work here.

The stock one crashes on every update ("Event loop is closed": it registers the webhook
with ``asyncio.run`` on a loop it then closes). It cannot use another Bot API server,
calls ``getMe`` on every update, and authenticates nothing. This one:

- registers the webhook when the server starts, in the server's own loop, with a secret
  token, and answers 403 to any update without that token, processing nothing;
- takes the Bot API address from ``TELEGRAM_API_URL`` (default Telegram's);
- sends HTML-escaped text with clickable links, splits it below 4,096 characters, and
  turns buttons into inline keyboards whose ``callback_data`` fits in 64 bytes;
- maps ``/start``, ``/help`` and ``/restart``, answers photos, stickers, voice and files
  politely, and handles every update once (Telegram re-sends an update it thinks failed).

It is off, with no route doing anything, unless ``TELEGRAM_TOKEN`` and
``TELEGRAM_SECRET_TOKEN`` are set.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.messages import SUMMARY_DOCUMENT_CAPTION
from addons import settings
from addons.channels import summary
from addons.channels.guard import guard_handler
from addons.channels.limits import guard_requests
from addons.channels.memory import LocalMemory, Memory, memory_for

logger = logging.getLogger(__name__)

DEFAULT_API_URL = settings.DEFAULT_TELEGRAM_API_URL
MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one message
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback_data
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a secret token
_URL_RE = re.compile(r"(https?://[^\s<>\"']+)")
_TRAILING = re.compile(r"[.,;:!?)\]]+$")

# Telegram commands and what they mean to the assistant.
COMMANDS = {"/start": "/start", "/help": "/help", "/restart": "/start_over"}
NON_TEXT_TEXT = "Sorry, I can only read text messages. Please type your question about AHSCT."
EXPIRED_BUTTON_TEXT = "That button has expired. Please type your question, or send /help to see the topics."
PRIVACY_TEXT = (
    "About privacy: this conversation is stored so that I can follow it, and so that the team can "
    "improve the answers. Please don't share your name, address or health details. Send /restart "
    "at any time to start again."
)
SUMMARY_FAILED_TEXT = "Sorry, I couldn't make the notes just now. Please try again in a minute."
NON_TEXT_KINDS = ("photo", "sticker", "voice", "audio", "video", "video_note", "document", "animation", "location")


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    secret: str
    webhook_url: str | None = None
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls) -> TelegramConfig | None:
        """None (the channel is off) when TELEGRAM_TOKEN is unset; refuses a token without a secret."""
        env = settings.telegram()
        token = env["token"]
        if not token:
            return None
        secret = env["secret"]
        if not _SECRET_RE.match(secret):
            raise ValueError(
                "TELEGRAM_SECRET_TOKEN must be set with TELEGRAM_TOKEN: 1 to 256 letters, digits, _ or -. "
                "Without it anyone who learns the webhook address could write as any chat."
            )
        return cls(
            token=token,
            secret=secret,
            webhook_url=env["webhook_url"] or None,
            api_url=env["api_url"],
        )


# --- formatting -----------------------------------------------------------------------------


_SOURCE_LINE = re.compile(r"^(Source: )(.+?) (https?://[^\s<>\"']+)$")


def to_html(text: str) -> str:
    """Text for parse_mode=HTML: <, > and & escaped, addresses as links. A "Source: <label> <url>"
    line shows its label as the link, as the web widget does (an answer stays phone-sized)."""
    return "\n".join(_line_to_html(line) for line in text.split("\n"))


def _line_to_html(text: str) -> str:
    source = _SOURCE_LINE.match(text)
    if source:
        prefix, label, url = source.groups()
        return f'{prefix}<a href="{html.escape(url, quote=True)}">{html.escape(label, quote=False)}</a>'
    parts = _URL_RE.split(text)
    out = []
    for n, part in enumerate(parts):
        if n % 2 == 0:
            out.append(html.escape(part, quote=False))
            continue
        trailing = (_TRAILING.search(part) or [""])[0]
        url = part[: len(part) - len(trailing)] if trailing else part
        out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url, quote=False)}</a>')
        out.append(html.escape(trailing, quote=False))
    return "".join(out)


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Pieces of the text whose HTML stays within Telegram's limit, cut at blank lines, then
    lines, then words; nothing is lost."""
    pieces: list[str] = []
    current = ""
    for unit in _units(text, limit):
        candidate = f"{current}\n{unit}" if current else unit
        if len(to_html(candidate)) <= limit:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = unit
    if current:
        pieces.append(current)
    return pieces or [""]


def _units(text: str, limit: int) -> Iterable[str]:
    for line in text.split("\n"):
        if len(to_html(line)) <= limit:
            yield line
            continue
        chunk = ""
        for word in line.split(" "):
            if len(to_html(word)) > limit and chunk:  # one enormous "word": cut it, in order
                yield chunk
                chunk = ""
            while len(to_html(word)) > limit:
                yield word[: limit // 6]
                word = word[limit // 6 :]
            candidate = f"{chunk} {word}" if chunk else word
            if len(to_html(candidate)) > limit:
                yield chunk
                chunk = word
            else:
                chunk = candidate
        if chunk:
            yield chunk


class CallbackStore:
    """callback_data for a button payload: the payload itself when it fits in 64 bytes,
    otherwise a short key remembered in `memory` (this process's newest 10,000 by default)."""

    PREFIX = "cb:"

    def __init__(self, memory: Memory | None = None):
        self._memory = memory or LocalMemory()

    def data_for(self, payload: str) -> str:
        if len(payload.encode()) <= MAX_CALLBACK_BYTES and not payload.startswith(self.PREFIX):
            return payload
        key = self.PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:32]
        self._memory.add(key, payload)
        return key

    def payload_for(self, data: str) -> str | None:
        return self._memory.get(data) if data.startswith(self.PREFIX) else data


class SeenUpdates:
    """update_ids already handled: Telegram re-sends updates it thinks failed (for up to a day)."""

    def __init__(self, memory: Memory | None = None):
        self._memory = memory or LocalMemory()

    def first_time(self, update_id: int) -> bool:
        return self._memory.add(str(update_id), "1")


# --- the Bot API ------------------------------------------------------------------------------


class BotApiError(RuntimeError):
    pass


class BotApi:
    """A minimal Bot API client. One aiohttp session per event loop, made when first needed,
    so nothing is bound to a loop that has been closed (the stock connector's defect)."""

    def __init__(self, config: TelegramConfig):
        self.config = config
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
            self._loop = loop
        return self._session

    async def call(self, method: str, **params: Any) -> Any:
        return await self._post(method, json=params)

    async def send_document(self, chat_id: str, name: str, content: bytes, caption: str) -> Any:
        """sendDocument: a file upload (multipart/form-data), which `call`'s JSON cannot carry."""
        form = aiohttp.FormData()
        form.add_field("chat_id", chat_id)
        form.add_field("caption", caption)
        form.add_field("document", content, filename=name, content_type="application/pdf")
        return await self._post("sendDocument", data=form)

    async def _post(self, method: str, **body: Any) -> Any:
        """POST a Bot API method (`json=` or `data=`); its result, or BotApiError."""
        url = f"{self.config.api_url}/bot{self.config.token}/{method}"
        async with self._client().post(url, **body) as resp:
            try:
                reply = await resp.json(content_type=None)
            except (aiohttp.ContentTypeError, ValueError):
                reply = {}
        if not isinstance(reply, dict) or not reply.get("ok"):
            # never log the URL: it contains the bot token
            description = reply.get("description") if isinstance(reply, dict) else None
            raise BotApiError(f"Bot API {method} failed: HTTP {resp.status} {description or ''}".strip())
        return reply.get("result")

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class TelegramOutput(OutputChannel):
    """Sends the assistant's replies to a Telegram chat (recipient_id is the conversation id, see
    conversation_for)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api: BotApi, callbacks: CallbackStore, agent: Any = None):
        self.api = api
        self.callbacks = callbacks
        self.agent = agent  # Rasa's agent, whose tracker store the notes for the neurologist are built from
        self.pending_summary: str | None = None

    async def send_summary_document(self, recipient_id: str) -> None:
        """Asked for the notes for the neurologist (addons/channels/summary.py): they are sent by
        `send_pending_summary` once the turn is over, when Rasa has stored it, so that they are
        built from the conversation as it now is."""
        self.pending_summary = recipient_id

    async def send_pending_summary(self) -> None:
        """The notes asked for in this turn as a PDF document, or a short text if they cannot be made."""
        recipient_id, self.pending_summary = self.pending_summary, None
        if recipient_id is None:
            return
        notes, pdf = None, None
        try:
            with summary.turn():
                notes = await summary.summary_for(self.agent, recipient_id)
                pdf = await summary.pdf_of(notes) if notes is not None else None
        except Exception as exc:  # the store or the PDF failed, or too many PDFs at once: say so
            logger.error("notes for the neurologist not made: %s", type(exc).__name__)
        if notes is None or pdf is None:
            await self.send_text_message(recipient_id, SUMMARY_FAILED_TEXT)
            return
        await self.api.send_document(chat_of(recipient_id), summary.file_name(notes), pdf, SUMMARY_DOCUMENT_CAPTION)

    async def _send(self, recipient_id: str, text: str, markup: dict | None = None) -> None:
        chat_id = chat_of(recipient_id)
        pieces = split_text(text)
        for n, piece in enumerate(pieces):
            params: dict[str, Any] = {
                "chat_id": chat_id,
                "text": to_html(piece),
                "parse_mode": "HTML",
                "disable_web_page_preview": True,
            }
            if markup is not None and n == len(pieces) - 1:
                params["reply_markup"] = markup
            await self.api.call("sendMessage", **params)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        keyboard = [
            [{"text": str(b.get("title", "")), "callback_data": self.callbacks.data_for(str(b["payload"]))}]
            for b in buttons
            if b.get("payload")
        ]
        await self._send(recipient_id, text, {"inline_keyboard": keyboard} if keyboard else None)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.api.call("sendPhoto", chat_id=chat_of(recipient_id), photo=image)


# --- the webhook ----------------------------------------------------------------------------


def _command(text: str) -> str:
    """'/start@MyBot' -> '/start'; our commands mapped to the assistant's intents."""
    word, _, rest = text.strip().partition(" ")
    name = word.split("@", 1)[0].lower()
    return COMMANDS.get(name, text) if not rest else text


def _whole_number(value: Any) -> int | None:
    """Telegram's ids are whole numbers; anything else (a string, a bool, a float) is refused."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _button_data(data: Any) -> bool:
    """callback_data as Telegram sends it: text of at most 64 bytes (we never make longer)."""
    return isinstance(data, str) and 0 < len(data.encode("utf-8", "replace")) <= MAX_CALLBACK_BYTES


GROUP_CHATS = ("group", "supergroup")


def conversation_for(message: dict[str, Any], sender: Any) -> str | None:
    """The conversation of a message: the chat id in a private chat; chat id and person in a group,
    so that each person in a group has their own conversation. None if the ids are malformed."""
    chat = message.get("chat")
    if not isinstance(chat, dict):
        return None
    chat_id = _whole_number(chat.get("id"))
    if chat_id is None:
        return None
    if chat.get("type") not in GROUP_CHATS:
        return str(chat_id)
    user_id = _whole_number(sender.get("id")) if isinstance(sender, dict) else None
    return f"{chat_id}:{user_id}" if user_id is not None else None


def chat_of(conversation_id: str) -> str:
    """The chat to send a conversation's replies to."""
    return conversation_id.split(":", 1)[0]


def addressed(message: dict[str, Any], bot_id: int | None, username: str | None) -> str | None:
    """In a group: the text if it is for the assistant (a reply to it, a command, or a mention of
    it, which is taken out), else None."""
    text = message.get("text")
    if not isinstance(text, str):
        return None
    reply = message.get("reply_to_message")
    replied_to = reply.get("from") if isinstance(reply, dict) else None
    if bot_id is not None and isinstance(replied_to, dict) and _whole_number(replied_to.get("id")) == bot_id:
        return text
    stripped = text.strip()
    if stripped.startswith("/"):
        target = stripped.split(maxsplit=1)[0].partition("@")[2]
        return text if not target or (username and target.lower() == username.lower()) else None
    if username:
        mention = re.compile(rf"(?<!\w)@{re.escape(username)}\b", re.IGNORECASE)
        if mention.search(text):
            return mention.sub("", text).strip()
    return None


class TelegramSecureInput(TelegramInput):
    """Rasa's Telegram input, rebuilt: see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramSecureInput:
        return cls(TelegramConfig.from_env())

    def __init__(self, config: TelegramConfig | None):
        super().__init__(config.token if config else None, None, config.webhook_url if config else None)
        self.config = config
        self.api = BotApi(config) if config else None
        # Shared through Redis when Rasa runs as several processes (addons/channels/memory.py);
        # update ids count per bot, so the keys carry the bot's id (the token's public part).
        bot = config.token.split(":", 1)[0] if config else "off"
        self.callbacks = CallbackStore(memory_for(f"telegram:{bot}:callbacks", ttl_seconds=30 * 24 * 3600))
        self.seen = SeenUpdates(memory_for(f"telegram:{bot}:updates", ttl_seconds=2 * 24 * 3600))
        self.bot_id = int(bot) if bot.isdigit() else None
        # Needed to know when someone in a group mentions the assistant; asked once at start (getMe).
        self.username: str | None = None

    def get_output_channel(self, agent: Any = None) -> TelegramOutput:
        if self.api is None:
            raise RuntimeError("the Telegram channel is off: set TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN")
        return TelegramOutput(self.api, self.callbacks, agent)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("telegram_webhook", __name__)
        guard_requests(bp)
        handle = guard_handler(on_new_message)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.config else "off"})

        if self.config is None:
            logger.info("Telegram channel is off (TELEGRAM_TOKEN is not set)")
            return bp
        config, api = self.config, self.api
        assert api is not None

        @bp.listener("after_server_start")
        async def register_webhook(_app: Any, _loop: Any) -> None:
            try:
                me = await api.call("getMe")
                self.username = me.get("username") if isinstance(me, dict) else None
            except (BotApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.error("Telegram getMe failed (mentions in groups will not be recognised): %s", exc)
            if not config.webhook_url:
                logger.warning("TELEGRAM_WEBHOOK_URL is not set: the webhook is not registered")
                return
            try:
                await api.call(
                    "setWebhook",
                    url=config.webhook_url,
                    secret_token=config.secret,
                    allowed_updates=["message", "edited_message", "callback_query"],
                )
                logger.info("Telegram webhook registered at %s", config.webhook_url)
            except (BotApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.error("Telegram webhook not registered: %s", exc)

        @bp.listener("before_server_stop")
        async def close_session(_app: Any, _loop: Any) -> None:
            await api.close()

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), config.secret.encode()):
                logger.warning("Telegram update refused: missing or wrong secret token")
                return response.text("forbidden", status=403)
            try:
                update = json.loads(request.body or b"null")
            except (ValueError, RecursionError):
                update = None
            if not isinstance(update, dict) or _whole_number(update.get("update_id")) is None:
                return response.text("bad request", status=400)
            if not self.seen.first_time(update["update_id"]):
                return response.text("ok")
            output = self.get_output_channel(getattr(request.app.ctx, "agent", None))
            try:
                await self._handle(update, output, handle)
            except (BotApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.error("Telegram reply failed: %s", exc)
            return response.text("ok")  # 200 either way: a retry would not help

        return bp

    async def _acknowledge(self, output: TelegramOutput, query_id: Any) -> None:
        """Stop the button's spinner. If Telegram refuses ("query is too old", say), the press is
        still answered: the acknowledgement is only a courtesy."""
        if not isinstance(query_id, str) or not query_id:
            return
        try:
            await output.api.call("answerCallbackQuery", callback_query_id=query_id)
        except (BotApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            logger.warning("Telegram button press not acknowledged (answered anyway): %s", exc)

    async def _handle(
        self,
        update: dict[str, Any],
        output: TelegramOutput,
        handle: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        query = update.get("callback_query")
        if isinstance(query, dict):
            await self._acknowledge(output, query.get("id"))
            message = query.get("message")
            conversation = conversation_for(message, query.get("from")) if isinstance(message, dict) else None
            if conversation is None:
                return
            data = query.get("data")
            payload = self.callbacks.payload_for(data) if isinstance(data, str) and _button_data(data) else None
            if payload is None:
                await output.send_text_message(conversation, EXPIRED_BUTTON_TEXT)
                return
            await handle(UserMessage(payload, output, conversation, input_channel=self.name()))
            await output.send_pending_summary()
            return
        message = update.get("message") or update.get("edited_message")
        if not isinstance(message, dict):
            return  # other update kinds are not asked for (allowed_updates)
        conversation = conversation_for(message, message.get("from"))
        if conversation is None:
            return
        text = message.get("text")
        in_group = conversation != chat_of(conversation)
        if in_group:
            text = addressed(message, self.bot_id, self.username)
            if text is None:
                return  # said to others in the group: not for the assistant
        elif not isinstance(text, str):
            if any(kind in message for kind in NON_TEXT_KINDS) or "caption" in message:
                await output.send_text_message(conversation, NON_TEXT_TEXT)
            return
        text = _command(text)
        await handle(UserMessage(text, output, conversation, input_channel=self.name()))
        await output.send_pending_summary()
        if text == "/start":
            await output.send_text_message(conversation, PRIVACY_TEXT)
