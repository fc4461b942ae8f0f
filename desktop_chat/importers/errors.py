"""What an import says when it cannot go ahead."""

from __future__ import annotations

from ..errors import ChatError


class ImportFailedError(ChatError):
    """The file is not something we can import, or is damaged. Nothing was imported; the
    message says which file, which conversation and what is wrong."""

    kind = "import"
