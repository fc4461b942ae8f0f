from desktop_chat.domain import Conversation, Message, Role, plain_text, title_from_question
from desktop_chat.service.replies import clean_title


def test_title_is_the_first_line_of_the_question() -> None:
    assert title_from_question("What is a chatbot?\nAnd more") == "What is a chatbot?"


def test_title_skips_blank_lines_and_squeezes_spaces() -> None:
    assert title_from_question("\n\n   Can   machines\tlearn?  ") == "Can machines learn?"


def test_titles_are_plain_words_without_markdown() -> None:
    assert title_from_question("Here is a **comparison** of caches:") == (
        "Here is a comparison of caches:"
    )
    assert title_from_question("## Why is `lru_cache` _fast_?") == "Why is lru_cache fast?"
    assert title_from_question("- see [the docs](https://example.com)") == "see the docs"
    assert clean_title('"**Cache** _comparison_"') == "Cache comparison"
    assert clean_title("Title: ~~Old~~ *New* caches.") == "Old New caches"


def test_plain_text_leaves_what_is_not_markdown_alone() -> None:
    assert plain_text("snake_case_name costs $5 and $10") == "snake_case_name costs $5 and $10"
    assert plain_text("a * b * c") == "a * b * c"
    assert plain_text(r"Use \*stars\* and \# signs") == "Use *stars* and # signs"


def test_long_title_is_cut_at_a_word_with_an_ellipsis() -> None:
    title = title_from_question("word " * 40)
    assert title.endswith("…")
    assert len(title) <= 61
    assert "wor…" not in title


def test_a_conversation_without_messages_is_empty() -> None:
    conversation = Conversation()
    assert conversation.is_empty
    conversation.messages.append(Message(role=Role.USER, content="hi"))
    assert not conversation.is_empty


def test_ids_are_unique_and_safe_as_file_names() -> None:
    ids = {Conversation().id for _ in range(100)}
    assert len(ids) == 100
    assert all(i.isalnum() for i in ids)
