"""The conversation store at scale: 10,000 conversations of 20 messages.

Prints `name: value unit` lines:
  list_ms     listing for the sidebar at start (open + reconcile + summaries), warm index
  rebuild_ms  the index built from scratch from every file
  open_ms     loading a 1,000-message conversation
  save_ms     one new message saved into it (encode, write, fsync, index)
  search_ms   a full-text query (median over a mix of rare and common words)
  rss_mb      peak memory of a fresh process doing the listing

Usage: python tests/bench/bench_store.py [--conversations N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop_chat.domain import Conversation, Message, Role, Usage  # noqa: E402
from desktop_chat.storage import ConversationStore, encode  # noqa: E402

SYLLABLES = ["ka", "ti", "ro", "ne", "mu", "sa", "lo", "vi", "pe", "da", "ri", "co", "la"]
SPANISH = ["canción", "árbol", "máquina", "aprendizaje", "pregunta", "respuesta", "corazón"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Words ordered from most to least frequent in the generated text."""
    words = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)})
    rng.shuffle(words)
    return SPANISH + words


def sentence(rng: random.Random, words: list[str], count: int) -> str:
    # A Zipf-like choice: a few words are everywhere, most are rare, as in real text.
    picks = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(count)]
    return " ".join(picks).capitalize() + "."


def build_conversation(
    rng: random.Random, words: list[str], number: int, turns: int
) -> Conversation:
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number * 7)
    conversation = Conversation(
        title=sentence(rng, words, 5)[:60], created_at=start, updated_at=start
    )
    for turn in range(turns):
        when = start + timedelta(seconds=turn * 30)
        conversation.messages.append(
            Message(role=Role.USER, content=sentence(rng, words, 18), created_at=when)
        )
        conversation.messages.append(
            Message(
                role=Role.ASSISTANT,
                content="\n\n".join(sentence(rng, words, 30) for _ in range(3)),
                created_at=when,
                model="gpt-5.4-mini",
                usage=Usage(prompt_tokens=200, completion_tokens=150),
            )
        )
    conversation.updated_at = start + timedelta(seconds=turns * 30)
    return conversation


def seed(data_dir: Path, count: int) -> tuple[str, list[str]]:
    """Write the files directly (as a restored backup would arrive); returns the big one's id."""
    rng = random.Random(42)
    words = vocabulary(rng)
    folder = data_dir / "conversations"
    folder.mkdir(parents=True)
    for number in range(count):
        conversation = build_conversation(rng, words, number, turns=10)
        (folder / f"{conversation.id}.json").write_bytes(encode(conversation))
    big = build_conversation(rng, words, count, turns=500)
    (folder / f"{big.id}.json").write_bytes(encode(big))
    return big.id, words


def timed(function, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


LISTING_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from desktop_chat.storage import ConversationStore
store = ConversationStore(Path({data!r}))
store.open()
summaries = store.summaries()
assert len(summaries) > 0
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the generated data folder here")
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    data_dir = args.keep or temp / "data"
    try:
        big_id, words = seed(data_dir, args.conversations)

        rebuild_ms, _ = timed(lambda: ConversationStore(data_dir).open())

        list_runs = []
        for _ in range(5):
            store = ConversationStore(data_dir)
            elapsed, summaries = timed(lambda s=store: (s.open(), s.summaries())[1])
            list_runs.append(elapsed)
            store.close()
        assert len(summaries) == args.conversations + 1

        store = ConversationStore(data_dir)
        store.open()
        open_runs = [timed(store.load, big_id)[0] for _ in range(7)]
        conversation = store.load(big_id)
        assert len(conversation.messages) == 1000

        save_runs = []
        for number in range(7):
            conversation.messages.append(Message(role=Role.USER, content=f"One more {number}"))
            save_runs.append(timed(store.save, conversation)[0])

        # From the most common word (in most messages) to rare ones, one- and two-word
        # queries, and a prefix as typed.
        ranks = [0, 1, 3, 10, 30, 100, 300, 1000]
        queries = [words[r] for r in ranks] + [f"{words[2]} {words[40]}", words[50][:3]]
        queries += ["cancion", "maquina aprendiz"]
        search_runs = [timed(store.search, query)[0] for query in queries]
        store.close()

        child = subprocess.run(
            [sys.executable, "-c", LISTING_CHILD.format(root=str(ROOT), data=str(data_dir))],
            capture_output=True,
            text=True,
            check=True,
        )
        rss_mb = float(child.stdout.strip())

        print(f"list_ms: {statistics.median(list_runs):.0f} ms")
        print(f"rebuild_ms: {rebuild_ms:.0f} ms")
        print(f"open_ms: {statistics.median(open_runs):.1f} ms")
        print(f"save_ms: {statistics.median(save_runs):.1f} ms")
        print(f"search_ms: {statistics.median(search_runs):.1f} ms")
        print(f"search_max_ms: {max(search_runs):.1f} ms")
        print(f"rss_mb: {rss_mb:.0f} MB")
    finally:
        if args.keep is None:
            shutil.rmtree(temp)


if __name__ == "__main__":
    main()
