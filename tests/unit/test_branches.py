"""Editing a message or regenerating a reply keeps the old version to switch back to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop_chat.domain import Conversation, Message, Role

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _message(text: str, minute: int) -> Message:
    role = Role.USER if text.startswith("q") else Role.ASSISTANT
    return Message(role=role, content=text, created_at=START + timedelta(minutes=minute))


def _conversation(*texts: str) -> Conversation:
    return Conversation(messages=[_message(t, n) for n, t in enumerate(texts)])


def _shown(conversation: Conversation) -> list[str]:
    return [m.content for m in conversation.messages]


def test_a_regenerated_reply_keeps_the_old_one_as_an_alternative() -> None:
    conversation = _conversation("q1", "a1", "q2", "a2")
    conversation.fork(3)
    conversation.messages.append(_message("a2-again", 10))
    assert _shown(conversation) == ["q1", "a1", "q2", "a2-again"]
    versions = conversation.alternatives(3)
    assert len(versions) == 2 and versions[-1] is None  # the shown one is the newest
    conversation.switch(3, 0)
    assert _shown(conversation) == ["q1", "a1", "q2", "a2"]
    conversation.switch(3, 1)
    assert _shown(conversation) == ["q1", "a1", "q2", "a2-again"]


def test_editing_an_early_question_keeps_everything_after_it() -> None:
    conversation = _conversation("q1", "a1", "q2", "a2")
    conversation.fork(0)
    conversation.messages += [_message("q1-edited", 10), _message("a1-new", 11)]
    assert _shown(conversation) == ["q1-edited", "a1-new"]
    conversation.switch(0, 0)
    assert _shown(conversation) == ["q1", "a1", "q2", "a2"]


def test_alternatives_further_along_travel_with_their_path() -> None:
    conversation = _conversation("q1", "a1", "q2", "a2")
    conversation.fork(3)  # regenerate a2
    conversation.messages.append(_message("a2-v2", 10))
    conversation.fork(2)  # then edit q2
    conversation.messages += [_message("q2-edited", 20), _message("a2-edited", 21)]
    assert conversation.alternatives(3) == []  # a2's versions belong to the other path
    conversation.switch(2, 0)  # back to the original q2…
    assert _shown(conversation) == ["q1", "a1", "q2", "a2-v2"]
    assert len(conversation.alternatives(3)) == 2  # …with both versions of its reply
    conversation.switch(3, 0)
    assert _shown(conversation) == ["q1", "a1", "q2", "a2"]
    conversation.switch(2, 1)
    assert _shown(conversation) == ["q1", "a1", "q2-edited", "a2-edited"]


def test_a_turn_without_alternatives_has_none() -> None:
    conversation = _conversation("q1", "a1")
    assert conversation.alternatives(1) == []
    conversation.fork(5)  # nothing there: nothing happens
    assert conversation.branches == []
