"""A save interrupted at any moment leaves the old version or the new one, never a mix."""

from __future__ import annotations

import multiprocessing
import random
import shutil
import time
from pathlib import Path

from desktop_chat.storage import ConversationStore, encode
from tests.helpers import save_loop

KILLS = 200


def test_killing_a_saving_process_200_times_never_corrupts_the_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    ConversationStore(data_dir).open()
    old, new = save_loop.versions()
    allowed = {encode(old), encode(new)}
    path = data_dir / "conversations" / f"{save_loop.CONVERSATION_ID}.json"
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.helpers.save_loop"])
    moments = random.Random(20261124)
    seen = set()
    interrupted_writes = 0
    for _ in range(KILLS):
        ready = context.Event()
        child = context.Process(target=save_loop.save_forever, args=(str(data_dir), ready))
        child.start()
        assert ready.wait(30), "the child never saved"
        time.sleep(moments.uniform(0, 0.015))  # the random moment of the crash, not a wait
        child.kill()
        child.join()
        content = path.read_bytes()
        assert content in allowed
        seen.add(content)
        interrupted_writes += sum(1 for p in path.parent.glob(".*.tmp"))
    assert seen == allowed, "the kills should have landed on both versions"
    # About one kill in ten lands between creating the temporary file and renaming it.
    assert interrupted_writes >= 5, f"only {interrupted_writes} kills landed mid-write"

    store = ConversationStore(data_dir)
    report = store.open()
    assert report.quarantined == []
    assert [s.id for s in store.summaries()] == [save_loop.CONVERSATION_ID]
    assert store.load(save_loop.CONVERSATION_ID).title in {old.title, new.title}
    leftovers = [p.name for p in (data_dir / "conversations").iterdir() if p.name != path.name]
    assert leftovers == []
    store.close()
    shutil.rmtree(data_dir)
