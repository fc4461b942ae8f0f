"""What opening the data folder found that the user should know, in words for them."""

from __future__ import annotations

from ..i18n import number, translate
from ..storage import OpenReport


def open_notices(report: OpenReport) -> list[tuple[str, str]]:
    """(notice key, text) for each thing worth telling about the folder just opened."""
    notices = []
    if report.quarantined:
        names = ", ".join(q.name for q in report.quarantined)
        folder = report.quarantined[0].moved_to.parent
        text = (
            translate(
                "ChatService",
                "A conversation file could not be read and was moved, untouched, to "
                "{folder}: {names}",
            )
            if len(report.quarantined) == 1
            else translate(
                "ChatService",
                "{count} conversation files could not be read and were moved, "
                "untouched, to {folder}: {names}",
            )
        )
        count = number(len(report.quarantined))
        notices.append(("quarantine", text.format(count=count, folder=folder, names=names)))
    if report.index_unavailable:
        text = translate(
            "ChatService",
            "The search index could not be built, so search is unavailable; every "
            "conversation is listed and saved as usual. ({reason})",
        )
        notices.append(("index", text.format(reason=report.index_unavailable)))
    if report.newer_unreadable:
        text = translate(
            "ChatService",
            "Some conversations were saved by a newer version of Desktop Chat and "
            "cannot be shown by this one: {names}",
        )
        notices.append(("newer", text.format(names=", ".join(report.newer_unreadable))))
    return notices
