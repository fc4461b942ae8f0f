"""The export formats, declared once: the exporter, the command line (`--format`) and the
export dialog all read this list, so a format added here is offered everywhere.

Kept apart from `export` (which loads the storage layer): the command line parses its
arguments before anything heavy is imported.
"""

from __future__ import annotations

from enum import StrEnum

from .i18n import translate


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for translation (pyside6-lupdate finds it by this name) and returns
    it untranslated: the label is translated when shown, in the language then in use."""
    return source


class ExportFormat(StrEnum):
    """Each format: its file extension (the value, and `--format`'s choice) and its name
    for people."""

    _value_: str
    _label: str

    MARKDOWN = ("md", QT_TRANSLATE_NOOP("ExportFormat", "Markdown"))
    HTML = ("html", QT_TRANSLATE_NOOP("ExportFormat", "Web page (HTML)"))
    PDF = ("pdf", QT_TRANSLATE_NOOP("ExportFormat", "PDF"))
    JSON = ("json", QT_TRANSLATE_NOOP("ExportFormat", "JSON (imports back into Desktop Chat)"))
    TEXT = ("txt", QT_TRANSLATE_NOOP("ExportFormat", "Plain text"))

    def __new__(cls, value: str, label: str) -> ExportFormat:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @classmethod
    def of(cls, value: str) -> ExportFormat:
        """The format whose value is `value` ("md"); ValueError when there is none."""
        return cls(value)  # type: ignore[call-arg]  # (mypy reads the call as `__new__`)

    @property
    def extension(self) -> str:
        return f".{self.value}"

    @property
    def label(self) -> str:
        """The format's name in the interface's language."""
        return translate("ExportFormat", self._label)
