"""The file format: old files upgrade, saved files match the documented JSON Schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from desktop_chat.domain import MessageStatus
from desktop_chat.storage import SCHEMA_VERSION, ConversationStore, decode, encode
from tests.helpers.conversations import make_conversation

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data"
JSON_SCHEMA = json.loads((ROOT / "resources" / "conversation.schema.json").read_text("utf-8"))


def _validate(data: object) -> None:
    jsonschema.validate(data, JSON_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_every_old_schema_version_has_stored_sample_files() -> None:
    for version in range(1, SCHEMA_VERSION):
        assert list((SAMPLES / f"schema-{version}").glob("*.json")), f"no samples of v{version}"


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("schema-*/*.json")), ids=lambda p: p.name)
def test_old_files_upgrade_on_load_and_save_in_the_current_format(
    sample: Path, tmp_path: Path
) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    shutil.copy(sample, store.conversations_dir / sample.name)
    store.close()
    store = ConversationStore(tmp_path / "data")
    report = store.open()
    assert report.quarantined == []
    conversation_id = sample.stem
    conversation = store.load(conversation_id)
    old = json.loads(sample.read_text(encoding="utf-8"))
    assert conversation.title == old["title"]
    old_settings = old if old["schema"] == 1 else old["settings"]
    assert conversation.settings.model == old_settings["model"]
    assert conversation.settings.system_prompt == old_settings["system_prompt"]
    assert conversation.settings.max_output_tokens == old_settings["max_output_tokens"]
    assert conversation.settings.temperature == old_settings.get("temperature")
    assert conversation.pinned == old.get("pinned", False)
    assert conversation.branches == []
    assert [m.content for m in conversation.messages] == [
        m["content"].partition("</think>")[2].lstrip()
        if m["content"].startswith("<think>")
        else m["content"]
        for m in old["messages"]
    ]
    assert [m.status.value for m in conversation.messages] == [m["status"] for m in old["messages"]]
    # Loading alone never rewrites a user's file; the next save upgrades it.
    path = store.conversations_dir / sample.name
    assert path.read_bytes() == sample.read_bytes()
    store.save(conversation)
    upgraded = json.loads(path.read_text(encoding="utf-8"))
    assert upgraded["schema"] == SCHEMA_VERSION
    _validate(upgraded)
    store.close()


def test_the_partial_and_failed_replies_of_an_old_file_keep_their_state() -> None:
    raw = (SAMPLES / "schema-1" / "partial-and-error.json").read_bytes()
    conversation = decode(raw, conversation_id="x")
    statuses = [m.status for m in conversation.messages]
    assert statuses == [
        MessageStatus.COMPLETE,
        MessageStatus.PARTIAL,
        MessageStatus.COMPLETE,
        MessageStatus.ERROR,
    ]
    assert conversation.messages[3].error is not None
    assert "429" in conversation.messages[3].error


def test_what_the_app_writes_matches_the_documented_schema() -> None:
    conversation = make_conversation(turns=3)
    conversation.pinned = True
    conversation.settings.temperature = 0.7
    conversation.messages[-1].status = MessageStatus.STREAMING
    conversation.messages[-1].usage = None
    _validate(json.loads(encode(conversation)))


def test_the_documented_schema_rejects_what_the_app_rejects() -> None:
    data = json.loads(encode(make_conversation()))
    data["messages"][0]["role"] = "robot"
    with pytest.raises(jsonschema.ValidationError):
        _validate(data)
    with pytest.raises(ValueError, match="role"):
        decode(json.dumps(data).encode(), conversation_id="x")


def test_reusing_encoded_messages_never_writes_a_stale_message() -> None:
    import dataclasses
    from datetime import timedelta

    from desktop_chat.domain import Message, Role, Usage
    from desktop_chat.storage.schema import EncodedMessages

    lines = EncodedMessages()
    conversation = make_conversation(turns=3)
    assert encode(conversation, lines) == encode(conversation)
    reply = conversation.messages[-1]
    changes = [
        lambda: setattr(reply, "content", reply.content + " more"),
        lambda: setattr(reply, "status", MessageStatus.STREAMING),
        lambda: setattr(reply, "status", MessageStatus.ERROR),
        lambda: setattr(reply, "error", "Boom."),
        lambda: setattr(reply, "usage", Usage(prompt_tokens=1, completion_tokens=2)),
        lambda: setattr(reply, "model", "other-model"),
        lambda: setattr(reply, "created_at", reply.created_at + timedelta(seconds=1)),
        lambda: setattr(reply, "reasoning", "Thinking it over."),
        lambda: setattr(reply, "reasoning", reply.reasoning + " More."),
        lambda: setattr(reply, "reasoning_seconds", 2.5),
        lambda: conversation.messages.append(Message(role=Role.USER, content="new")),
        lambda: conversation.messages.pop(0),
        lambda: setattr(conversation, "title", "Renamed"),
        lambda: conversation.messages.__setitem__(
            0, dataclasses.replace(conversation.messages[0], content="edited")
        ),
    ]
    for change in changes:
        change()
        assert encode(conversation, lines) == encode(conversation)
    assert json.loads(encode(conversation, lines))["title"] == "Renamed"


def test_branches_round_trip_with_their_nested_branches() -> None:
    from desktop_chat.domain import Message, Role
    from desktop_chat.storage import decode

    conversation = make_conversation(turns=3)
    conversation.fork(5)  # regenerate the last reply
    conversation.messages.append(Message(role=Role.ASSISTANT, content="second answer"))
    conversation.fork(2)  # then edit the second question
    conversation.messages += [
        Message(role=Role.USER, content="edited question"),
        Message(role=Role.ASSISTANT, content="its answer"),
    ]
    raw = encode(conversation)
    _validate(json.loads(raw))
    again = decode(raw, conversation_id=conversation.id)
    assert again == conversation
    [branch] = again.branches
    assert branch.fork_at == 2 and len(branch.messages) == 4
    assert [b.fork_at for b in branch.branches] == [5]


def test_a_schema_4_reply_that_began_with_its_thoughts_keeps_them_apart() -> None:
    raw = (SAMPLES / "schema-4" / "written-before-reasoning.json").read_bytes()
    conversation = decode(raw, conversation_id="x")
    reply = conversation.messages[1]
    assert reply.content == "The capital of Portugal is **Lisbon**."
    assert reply.reasoning == "The user asks about Portugal. Its capital is **Lisbon**."
    assert reply.reasoning_seconds is None
    # "<think>" later in a reply is part of what it says.
    assert conversation.messages[3].content.startswith("Madrid. <think>")
    assert conversation.messages[3].reasoning == ""
    assert conversation.settings.reasoning_effort is None
    assert conversation.messages[0].attachments[0].name == "notes.txt"


def test_reasoning_and_effort_round_trip_and_match_the_documented_schema() -> None:
    from desktop_chat.domain import ReasoningEffort, Usage

    conversation = make_conversation(turns=2)
    conversation.settings.reasoning_effort = ReasoningEffort.HIGH
    reply = conversation.messages[-1]
    reply.reasoning, reply.reasoning_seconds = "First, *think*.", 12.3
    reply.usage = Usage(prompt_tokens=5, completion_tokens=50, reasoning_tokens=30)
    hidden = conversation.messages[1]  # OpenAI's: no text, but time and tokens
    hidden.reasoning_seconds = 4.0
    data = json.loads(encode(conversation))
    _validate(data)
    assert data["settings"]["reasoning_effort"] == "high"
    assert data["messages"][-1]["reasoning"] == {"text": "First, *think*.", "seconds": 12.3}
    assert data["messages"][-1]["usage"]["reasoning_tokens"] == 30
    assert data["messages"][1]["reasoning"] == {"text": "", "seconds": 4.0}
    assert "reasoning" not in data["messages"][0]
    again = decode(encode(conversation), conversation_id=conversation.id)
    assert again.settings.reasoning_effort is ReasoningEffort.HIGH
    assert again.messages[-1].reasoning == "First, *think*."
    assert again.messages[-1].reasoning_seconds == 12.3
    assert again.messages[-1].usage == reply.usage
    assert again.messages[1].reasoned and not again.messages[0].reasoned
    data["settings"]["reasoning_effort"] = "extreme"
    with pytest.raises(ValueError, match="reasoning_effort"):
        decode(json.dumps(data).encode(), conversation_id="x")
