"""The chat service: replies asked for, streamed into their conversation, and kept.

Built on the conversations the app knows (`Conversations`: listing, opening, saving), it
owns the reply tasks, so Stop and shutdown can cancel any of them whichever conversation
is on screen, and announces each conversation's changes on its events (`events(id)`).
The library (search, export, import) and the attachment files are services of their own.
No widgets here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal

from ..api import ChatClient
from ..domain import (
    Attachment,
    Conversation,
    Message,
    MessageStatus,
    ReasoningEffort,
    Role,
    title_from_question,
    utc_now,
)
from ..i18n import translate
from ..storage import TrashEntry
from ..storage.recovery import RecoveryFiles
from .attachment_files import AttachmentService
from .conversations import Conversations
from .model_choice import ModelChoice
from .replies import Replies, ReplyCallbacks, question_fits
from .saver import SAVE_RETRY_DELAYS_S
from .settings_service import SettingsService
from .store_thread import StoreThread
from .threads import in_thread

log = logging.getLogger(__name__)


class ChatService(Conversations):
    streaming_changed = Signal(str, bool)
    """(conversation id, whether a reply is arriving): for whoever follows every chat (the
    window follows its own through `events`)."""

    def __init__(
        self,
        store: StoreThread,
        client: ChatClient,
        settings: SettingsService,
        attachments: AttachmentService,
        *,
        save_retry_delays: Sequence[float] = SAVE_RETRY_DELAYS_S,
        recovery: RecoveryFiles | None = None,
    ) -> None:
        super().__init__(store, save_retry_delays=save_retry_delays, recovery=recovery)
        self._client = client
        self._settings = settings
        settings.connection_changed.connect(self._on_connection_changed)
        settings.changed.connect(self._on_settings_changed)
        self._replies: dict[str, asyncio.Task[None]] = {}
        self._progress_pending: set[tuple[str, str]] = set()
        self._models = ModelChoice(client, settings, self.notice.emit, self.notice_cleared.emit)
        self._warm_up: asyncio.Future[None] | None = None
        self._replies_runner = Replies(
            client,
            ReplyCallbacks(
                progressed=self._progressed,
                notice=self.notice.emit,
                warm_up=self.network_ready,
                models=self.models,
            ),
            attachment_part=attachments.request_part,
        )

    # --- start and stop ------------------------------------------------------------

    def warm_up(self) -> None:
        """Look up the API key, load the network stack and build the HTTP client off the
        UI thread, so the first request does not wait for them (nor stall the window)."""
        if self._warm_up is None:
            self._warm_up = asyncio.ensure_future(self._warm_up_steps())

    async def _warm_up_steps(self) -> None:
        # The SDK's import (~0.5 s) goes on while the keyring answers.
        importing = in_thread(ChatClient.preload_module, "desktop-chat-import")
        await self._settings.load_key()
        await asyncio.wrap_future(importing)
        prepared = await asyncio.wrap_future(in_thread(self._client.prepare()))
        if not self._client.adopt(prepared):
            # A request built its own client meanwhile. Closed here: left to the garbage
            # collector, the SDK would schedule the closing on whatever loop runs then.
            await prepared.client.close()

    async def network_ready(self) -> None:
        """Wait for the warm-up (the key, the network stack), if one was started. Its
        failure is not raised here: the request that follows meets it again and reports it."""
        if self._warm_up is not None:
            with contextlib.suppress(Exception):
                # Shielded: a caller cancelled while waiting must not cancel it for all.
                await asyncio.shield(self._warm_up)

    async def shutdown(self) -> None:
        """Stop every reply (keeping what arrived), save everything, close connections."""
        if self._shut_down:
            return
        self._shut_down = True
        self._settings.shutdown()
        tasks = [*self._replies.values(), *self._background]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._close_store()
        await self.network_ready()  # the client it builds is closed with the others
        await self._client.aclose()

    # --- what can be done -------------------------------------------------------------

    def setup_problem(self) -> str | None:
        """Why sending cannot work yet, in words for the user; None when it can."""
        if self._store.read_only:
            return self._read_only_folder()
        return self._settings.setup_problem()

    @property
    def read_only(self) -> bool:
        """The data folder cannot be written: chats are read, searched and exported only."""
        return self._store.read_only

    def _read_only_folder(self) -> str:
        return translate(
            "ChatService",
            "Desktop Chat cannot write to its data folder {folder}, so it opened it read-only: "
            "you can read, search and export your conversations (to another folder), but "
            "nothing new can be asked or saved.",
        ).format(folder=self._store.data_dir)

    def send_problem(self, conversation_id: str) -> str | None:
        """Why a question cannot be sent in this conversation now, in words for the user;
        None when it can."""
        problem = self.setup_problem()
        if problem is None and self._conversations[conversation_id].read_only:
            problem = translate(
                "ChatService", "This conversation was saved by a newer version; it is read-only."
            )
        return problem

    def is_streaming(self, conversation_id: str) -> bool:
        return conversation_id in self._replies

    def can_retry(self, conversation_id: str) -> bool:
        """Whether the last reply failed or stopped early, and asking again may work: not
        while its question alone is too long for the model (another model may take it)."""
        reply = self._last_reply(conversation_id)
        return (
            reply is not None
            and reply.status in (MessageStatus.ERROR, MessageStatus.PARTIAL)
            and question_fits(self._conversations[conversation_id], reply)
        )

    def can_continue(self, conversation_id: str) -> bool:
        reply = self._last_reply(conversation_id)
        return reply is not None and reply.status is MessageStatus.PARTIAL and bool(reply.content)

    # --- asking ----------------------------------------------------------------------

    def new_conversation(self) -> Conversation:
        """An empty conversation; it is listed and saved once it has a first message."""
        conversation = Conversation(settings=self._models.new_chat_settings())
        self._conversations[conversation.id] = conversation
        return conversation

    def send(self, conversation_id: str, text: str, attachments: Sequence[Attachment] = ()) -> bool:
        """Add the user's question (with attachments already kept by the attachment files)
        and start streaming the reply. False when it cannot be sent now (nothing to send,
        a reply still arriving, or a `send_problem`)."""
        text = text.strip()
        conversation = self._conversations[conversation_id]
        if (
            not (text or attachments)
            or self.is_streaming(conversation_id)
            or self.send_problem(conversation_id)
        ):
            return False
        if not conversation.title:
            conversation.title = title_from_question(text or attachments[0].name)
        question = Message(role=Role.USER, content=text, attachments=tuple(attachments))
        conversation.messages.append(question)
        self.events(conversation_id).message_added.emit(question.id)
        self.set_draft(conversation_id, "")
        self._append_reply(conversation)
        # New chats on this server start with the model used last.
        with contextlib.suppress(asyncio.CancelledError):
            self._in_background(self._settings.remember_model(conversation.settings.model))
        return True

    def retry(self, conversation_id: str) -> None:
        """Ask again for the last reply, which failed or stopped early. What had arrived of
        it is kept as another version of the turn, as Regenerate keeps a reply."""
        if not self.can_retry(conversation_id):
            return
        reply = self._last_reply(conversation_id)
        assert reply is not None
        if reply.content or reply.reasoning:
            self.regenerate(conversation_id)
            return
        # Nothing arrived: there is nothing to keep, so the reply is asked for again in place.
        reply.error = None
        reply.usage = None
        reply.reasoning_seconds = None
        reply.context_omitted = 0
        reply.created_at = utc_now()
        reply.model = self._conversations[conversation_id].settings.model
        reply.status = MessageStatus.STREAMING
        self._start_reply(self._conversations[conversation_id], reply, continuing=False)

    def continue_reply(self, conversation_id: str) -> None:
        """Ask the model to go on from where the last reply stopped, appending to it."""
        if not self.can_continue(conversation_id):
            return
        reply = self._last_reply(conversation_id)
        assert reply is not None
        reply.error = None
        reply.status = MessageStatus.STREAMING
        self._start_reply(self._conversations[conversation_id], reply, continuing=True)

    def regenerate(self, conversation_id: str) -> None:
        """Ask again for the last reply; the one shown now is kept as another version."""
        reply = self._last_reply(conversation_id)
        if reply is None:
            return
        conversation = self._conversations[conversation_id]
        conversation.fork(len(conversation.messages) - 1)
        self.events(conversation_id).replaced.emit()
        self._append_reply(conversation)

    def edit_and_resend(self, conversation_id: str, message_id: str, text: str) -> None:
        """Replace an earlier question (and what followed it) with `text`, and ask again.
        The old question and its answers are kept as another version."""
        conversation = self._conversations[conversation_id]
        text = text.strip()
        index = next((i for i, m in enumerate(conversation.messages) if m.id == message_id), None)
        if (
            not text
            or index is None
            or conversation.messages[index].role is not Role.USER
            or self.is_streaming(conversation_id)
            or conversation.read_only
        ):
            return
        attachments = conversation.messages[index].attachments  # an edit keeps them
        conversation.fork(index)
        conversation.messages.append(Message(role=Role.USER, content=text, attachments=attachments))
        self.events(conversation_id).replaced.emit()
        self._append_reply(conversation)

    def show_version(self, conversation_id: str, index: int, position: int) -> None:
        conversation = self._conversations[conversation_id]
        count = len(conversation.alternatives(index))
        if (
            self.is_streaming(conversation_id)
            or conversation.read_only
            or not 0 <= position < count
        ):
            return
        conversation.switch(index, position)
        self._changed(conversation)
        self.events(conversation_id).replaced.emit()

    def update_settings(self, conversation_id: str, **changes: Any) -> None:
        """Change how this conversation's next replies are made (model, system_prompt, …)."""
        conversation = self._conversations[conversation_id]
        if conversation.read_only:
            return
        for name, value in changes.items():
            if not hasattr(conversation.settings, name):
                raise AttributeError(name)
            setattr(conversation.settings, name, value)
        if "model" in changes:  # another model may take other reasoning efforts
            self.events(conversation_id).settings_changed.emit()
        if not conversation.is_empty:
            self._saver.request(conversation_id, urgent=True)
            # Another model may take what this one could not (a long question's Retry).
            self.events(conversation_id).message_changed.emit(conversation.messages[-1].id)

    def efforts_for(self, model: str) -> tuple[ReasoningEffort, ...]:
        """The reasoning efforts `model` takes on the current server (none: it does not
        reason, or refused the setting)."""
        return self._client.efforts_for(model)

    def stop(self, conversation_id: str) -> None:
        """End the reply now; what arrived so far is kept."""
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()

    async def delete(self, conversation_id: str) -> TrashEntry | None:
        """Move a conversation to the trash (its reply stopped first); the entry restores it."""
        task = self._replies.get(conversation_id)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        return await super().delete(conversation_id)

    async def models(self) -> tuple[list[str], bool]:
        """The models to offer, and whether the server listed them itself (cached a while).
        Chats not begun yet get one the server offers, if theirs is not."""
        await self.network_ready()
        in_use = {c.settings.model for c in self._conversations.values()}
        models = await self._models.models(self._in_background, in_use)
        for conversation in self._models.refit(list(self._conversations.values())):
            self.events(conversation.id).settings_changed.emit()
        return models

    # --- internals -------------------------------------------------------------------

    def _busy(self, conversation_id: str) -> bool:
        return self.is_streaming(conversation_id)

    def _on_connection_changed(self) -> None:
        self._models.forget()  # another server may offer other models

    def _on_settings_changed(self) -> None:
        # A chat not begun yet follows the new defaults; begun ones keep their own. Each
        # gets its own copy: a chat's settings are changed in place later.
        for conversation in self._conversations.values():
            if conversation.is_empty and not conversation.read_only:
                conversation.settings = self._models.new_chat_settings()

    def _append_reply(self, conversation: Conversation) -> None:
        reply = Message(
            role=Role.ASSISTANT,
            content="",
            model=conversation.settings.model,
            status=MessageStatus.STREAMING,
        )
        conversation.messages.append(reply)
        self._changed(conversation)
        self.events(conversation.id).message_added.emit(reply.id)
        self._start_reply(conversation, reply, continuing=False)

    def _start_reply(self, conversation: Conversation, reply: Message, *, continuing: bool) -> None:
        events = self.events(conversation.id)
        events.message_changed.emit(reply.id)
        task = asyncio.get_running_loop().create_task(
            self._run_reply(conversation, reply, continuing=continuing)
        )
        self._replies[conversation.id] = task
        events.streaming_changed.emit(True)
        self.streaming_changed.emit(conversation.id, True)

    async def _run_reply(
        self, conversation: Conversation, reply: Message, *, continuing: bool
    ) -> None:
        try:
            await self._replies_runner.stream(conversation, reply, continuing=continuing)
        finally:
            del self._replies[conversation.id]
            self._changed(conversation)
            events = self.events(conversation.id)
            events.message_changed.emit(reply.id)
            events.streaming_changed.emit(False)
            self.streaming_changed.emit(conversation.id, False)
        if Replies.wants_title(conversation) and not self._shut_down:
            self._in_background(self._retitle(conversation))

    def _progressed(self, conversation: Conversation, reply: Message) -> None:
        # One signal per turn of the event loop, not per chunk: a burst of buffered chunks
        # costs one emission (each is ~20 µs), a lone chunk still goes out at once.
        key = (conversation.id, reply.id)
        if key not in self._progress_pending:
            self._progress_pending.add(key)
            asyncio.get_running_loop().call_soon(self._report_progress, key)

    def _report_progress(self, key: tuple[str, str]) -> None:
        self._progress_pending.discard(key)
        conversation_id, message_id = key
        self.events(conversation_id).message_changed.emit(message_id)
        self._saver.request(conversation_id, urgent=False)

    async def _retitle(self, conversation: Conversation) -> None:
        provisional = conversation.title
        title = await self._replies_runner.title(conversation)
        # Not if the user renamed it meanwhile, or it was closed or deleted.
        if title and conversation.title == provisional and self.is_loaded(conversation.id):
            conversation.title = title
            self._listed(conversation)

    def _last_reply(self, conversation_id: str) -> Message | None:
        conversation = self._conversations.get(conversation_id)
        if conversation is None or not conversation.messages or conversation.read_only:
            return None
        last = conversation.messages[-1]
        if last.role is not Role.ASSISTANT or self.is_streaming(conversation_id):
            return None
        return last
