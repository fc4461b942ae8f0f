"""Cutting a streaming reply into complete blocks and an unfinished tail."""

from __future__ import annotations

import pytest

from desktop_chat.markdown import CodeBlock, code_blocks, stable_length


def _cut(text: str) -> tuple[str, str]:
    n = stable_length(text)
    return text[:n], text[n:]


def test_complete_paragraphs_are_stable_and_the_one_being_written_is_not() -> None:
    assert _cut("First para.\n\nSecond para.\n\nThird is still") == (
        "First para.\n\nSecond para.\n\n",
        "Third is still",
    )


def test_nothing_is_stable_until_a_block_is_followed_by_another() -> None:
    assert _cut("Only one paragraph\n") == ("", "Only one paragraph\n")
    assert _cut("Done.\n\n") == ("", "Done.\n\n")  # the next block may still belong to it


def test_never_inside_a_fenced_code_block() -> None:
    text = "Intro.\n\n```python\nx = 1\n\ny = 2\n```\n\nAfter.\n\nMore"
    assert _cut(text) == ("Intro.\n\n```python\nx = 1\n\ny = 2\n```\n\nAfter.\n\n", "More")
    open_fence = "Intro.\n\n```\ncode\n\nmore code\n"
    assert stable_length(open_fence) == len("Intro.\n\n")


def test_a_list_with_blank_lines_between_items_stays_whole() -> None:
    text = "1. **One**\n\n   Detail.\n\n2. **Two**\n\nAfter the list.\n\nTail"
    stable, tail = _cut(text)
    assert stable == "1. **One**\n\n   Detail.\n\n2. **Two**\n\nAfter the list.\n\n"
    assert tail == "Tail"
    assert stable_length("1. a\n\n2. b\n\n3. c") == 0  # still inside the list
    assert stable_length("1. a\n\n2") == 0  # "2" may become the list's next item


def test_resuming_from_an_earlier_cut_gives_the_same_result() -> None:
    text = "A.\n\nB.\n\n```\nc\n```\n\nD.\n\nE"
    first = stable_length("A.\n\nB.\n\n")
    assert stable_length(text, first) == stable_length(text)


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_code_blocks_are_found_for_copying(fence: str) -> None:
    text = f"Try:\n\n{fence}python\nprint(1)\n\nprint(2)\n{fence}\n\nand\n\n{fence}\nplain\n"
    assert code_blocks(text) == [
        CodeBlock("python", "print(1)\n\nprint(2)"),
        CodeBlock("", "plain"),  # still open: copied as far as it goes
    ]


def test_inline_triple_backticks_are_not_a_fence() -> None:
    assert code_blocks("Use ```x``` here\n") == []


def test_a_fence_right_after_a_paragraph_line_is_a_cut() -> None:
    text = "Here is the code:\n```python\nx = 1\n"
    assert stable_length(text) == len("Here is the code:\n")


def test_never_inside_a_display_formula() -> None:
    text = "Intro.\n\n$$\na = 1\n\nb = 2\n$$\n\nAfter.\n\nMore"
    assert _cut(text) == ("Intro.\n\n$$\na = 1\n\nb = 2\n$$\n\nAfter.\n\n", "More")
    assert stable_length("Intro.\n\n\\[\nx\n\ny") == len("Intro.\n\n")
    assert _cut("A.\n\n$$x^2$$\n\nB") == ("A.\n\n$$x^2$$\n\n", "B")
