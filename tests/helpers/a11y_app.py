"""The app with a saved conversation open, for a screen reader to read: started by
tests/e2e/test_accessibility.py on its own display and accessibility bus.

Usage: python -m tests.helpers.a11y_app DATA_DIR CONVERSATION_ID  (prints "ready" once shown)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_chat.composition import DesktopChat
from desktop_chat.event_loop import EventLoop
from desktop_chat.main_thread_gc import MainThreadCollector
from desktop_chat.paths import AppPaths
from tests.helpers.openai_server import unused_port_url


def main() -> None:
    data, conversation_id = Path(sys.argv[1]), sys.argv[2]
    app = QApplication(["desktop-chat"])
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    collector = MainThreadCollector()
    paths = AppPaths.resolve(data, {})
    paths.create()
    # A server that is not there: nothing is asked, but the app does not show its welcome.
    chat = DesktopChat(paths, {"OPENAI_BASE_URL": unused_port_url(), "OPENAI_API_KEY": "sk-a11y"})
    chat.window.resize(1200, 800)
    chat.window.show()

    async def run() -> None:
        chat.start()
        await asyncio.gather(*chat.startup)
        chat.window.open_conversation(conversation_id)
        view = chat.window.panel.message_view
        while view.conversation_id != conversation_id:  # noqa: ASYNC110  (it opens on the loop)
            await asyncio.sleep(0.05)
        view.finish_rendering()
        await asyncio.sleep(0.3)  # the bar of the last reply is placed after a frame
        print("ready", flush=True)
        await asyncio.sleep(600)  # until the test ends it

    with loop:
        loop.run_until_complete(run())
    collector.stop()


if __name__ == "__main__":
    main()
