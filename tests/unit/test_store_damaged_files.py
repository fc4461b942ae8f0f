"""Damaged files never stop loading, are never lost, and end up listed or in quarantine."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_chat.storage import ConversationStore, encode
from tests.helpers.conversations import make_conversation

VALID = json.loads(encode(make_conversation(turns=2)))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


FIELD_PATHS = _paths(VALID)


@st.composite
def mutated_conversations(draw: st.DrawFn) -> bytes:
    """A valid file with one field removed or replaced by a value of another kind."""
    data = json.loads(json.dumps(VALID))
    path = draw(st.sampled_from(FIELD_PATHS))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(json_values)
    return json.dumps(data, ensure_ascii=False).encode()


@st.composite
def truncated_files(draw: st.DrawFn) -> bytes:
    raw = encode(make_conversation(turns=2))
    return raw[: draw(st.integers(min_value=0, max_value=len(raw) - 2))]


damaged_files = st.one_of(
    st.binary(max_size=300),
    truncated_files(),
    mutated_conversations(),
    json_values.map(lambda v: json.dumps(v).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(damaged_files, min_size=1, max_size=4))
def test_loading_damaged_files_never_fails_and_never_loses_one(files: list[bytes]) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="damaged-"))
    try:
        good = make_conversation(title="Still here")
        store = ConversationStore(data_dir)
        store.open()
        store.save(good)
        for number, content in enumerate(files):
            (store.conversations_dir / f"file{number}.json").write_bytes(content)
        store.close()

        store = ConversationStore(data_dir)
        report = store.open()
        listed = {s.id for s in store.summaries()}
        quarantined = {q.name: q for q in report.quarantined}
        assert good.id in listed
        for number, content in enumerate(files):
            name = f"file{number}.json"
            if name in quarantined:
                assert quarantined[name].moved_to.read_bytes() == content
                assert quarantined[name].reason
            elif name in report.newer_unreadable:
                # It claims a newer format: not ours to judge, so left exactly where it was.
                assert (store.conversations_dir / name).read_bytes() == content
            else:
                # Whatever was not quarantined really is a conversation this app can show.
                assert f"file{number}" in listed
                store.load(f"file{number}")
        store.close()
    finally:
        shutil.rmtree(data_dir)
