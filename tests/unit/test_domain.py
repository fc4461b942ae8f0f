from desktop_chat.domain import Conversation, Message, Role, title_from_question


def test_title_is_the_first_line_of_the_question() -> None:
    assert title_from_question("What is a chatbot?\nAnd more") == "What is a chatbot?"


def test_title_skips_blank_lines_and_squeezes_spaces() -> None:
    assert title_from_question("\n\n   Can   machines\tlearn?  ") == "Can machines learn?"


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
