"""Desktop Chat: a native desktop client for OpenAI and OpenAI-compatible chat models."""

import time as _time

__version__ = "0.1.0"

STARTED = _time.perf_counter()
"""When the program began importing its own code: the clock start-up is logged against."""
