"""A reasoning model's reply in the window: thinking live, folded once it answered, and
unfolded, in both themes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

THOUGHTS = """The user wants to know **why the sky is blue**.

1. Sunlight holds every colour; air molecules are much smaller than its wavelengths.
2. Rayleigh scattering grows as $1/\\lambda^4$, so blue light scatters about five times
   more than red.
3. Violet scatters even more, but the Sun sends less of it and our eyes are less
   sensitive to it.

So: explain scattering simply, then mention sunsets as the counter-example."""

ANSWER = """The sky is blue because air **scatters blue light much more than red light**.

Sunlight contains every colour. As it passes through the atmosphere, it bumps into gas
molecules far smaller than the light's wavelength, and those scatter short wavelengths
strongly (Rayleigh scattering, proportional to $1/\\lambda^4$). Blue light is scattered
all over the sky, so it reaches your eyes from every direction.

At **sunset** the light crosses much more air: most of the blue is scattered away before
it reaches you, and the reds and oranges are left."""


async def take_reasoning(out: Path) -> None:
    from desktop_chat.settings import Settings
    from tests.helpers.openai_server import ScriptedReply
    from tests.helpers.screenshots import demo, until
    from tests.helpers.views import click_link

    for theme in ("light", "dark"):
        async with demo(replace(Settings(), theme=theme)) as (chat, server):
            chat.window.resize(1200, 820)
            server.enqueue(
                ScriptedReply(
                    text=ANSWER,
                    reasoning=THOUGHTS,
                    chunk_chars=10,
                    hold_after_chunks=30,
                    delay=0.03,
                )
            )
            window = chat.window
            window.panel.composer.set_text("Why is the sky blue?")
            window.panel.composer.button.click()
            view = window.panel.message_view
            await until(lambda v=view: "five times" in v.toPlainText(), seconds=10)
            await asyncio.sleep(2.2)  # the count goes on: "Thinking… 2 s"
            window.grab().save(str(out / f"reasoning-thinking-{theme}.png"))
            server.release()
            reply = chat.service.conversation(window.conversation_id).messages[-1]
            await until(lambda r=reply: r.status.value == "complete", seconds=10)
            await asyncio.sleep(0.8)
            window.grab().save(str(out / f"reasoning-folded-{theme}.png"))
            click_link(view, "desktop-chat:toggle-thoughts/")
            await asyncio.sleep(1.2)  # the formula in the thoughts is typeset
            view.verticalScrollBar().setValue(0)
            await asyncio.sleep(0.2)
            window.grab().save(str(out / f"reasoning-expanded-{theme}.png"))
