"""Any logged error fails the test that caused it (after qutebrowser's tests/helpers/logfail.py).

A record at ERROR or above (an exception in a slot, a background task that failed, a save
that could not be written) means something went wrong that a user would meet, even if the
test's own assertions pass. A test that provokes one on purpose says so with
`@pytest.mark.expect_error_log`, and then checks the records itself (with `caplog`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

MARKER = "expect_error_log"


class ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_error_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """Set up before the test's other fixtures and torn down after them, so errors logged
    while they end (the app shutting down) count too."""
    handler = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker(MARKER) is None:
        lines = [
            f"{r.levelname} {r.name}: {r.getMessage()}"
            + (f" ({r.exc_info[0].__name__})" if r.exc_info and r.exc_info[0] else "")
            for r in handler.records
        ]
        pytest.fail("errors were logged:\n" + "\n".join(lines), pytrace=False)
