"""The one thread that decodes, scales and encodes pictures.

Qt loads its image plugins under a lock: two threads decoding at once, one of them calling
back into Python (a Qt message handler, say) while the other holds the GIL, were seen to
deadlock on that lock and the GIL. So all picture work of the app runs on one thread: the
composition root makes it and hands it to whoever decodes (the attachment files, the
exports, the importers); a caller without one (the command line, a test) works in place.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

THREAD_NAME = "desktop-chat-images"


class ImageThread:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)

    def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`function` run on the image thread, waited for (at once when already on it)."""
        if threading.current_thread().name.startswith(THREAD_NAME):
            return function(*args, **kwargs)
        return self._executor.submit(function, *args, **kwargs).result()

    async def run_async(self, function: Callable[..., T], *args: object) -> T:
        """`function` run on the image thread while the event loop goes on."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def on_image_thread(
    images: ImageThread | None, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """`function` on `images`' thread, or here when there is none."""
    if images is None:
        return function(*args, **kwargs)
    return images.run(function, *args, **kwargs)
