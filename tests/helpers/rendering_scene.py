"""A reply holding every construct the renderer knows, in the window (light and dark) and
in its HTML export opened by Chromium: to compare the two side by side."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

EVERYTHING = r'''# Compound interest, explained

Money grows by a **fixed rate** each period, *compounding* on what it has become — not on
what it was. The ~~simple~~ formula is $A = P(1 + r/n)^{nt}$, where \(t\) is in years.

## The formula

$$
A = P\left(1 + \frac{r}{n}\right)^{nt}
$$

Continuous compounding is the limit as $n \to \infty$:

\[
A = P e^{rt}
\]

### A worked example

1. Start with `P = 1000` and a rate of 5 %.
2. Compound **monthly** for ten years:
   - $n = 12$, $t = 10$
   - the result is about 1647.01
3. Compare with yearly compounding.

- [x] Read the formula
- [ ] Try it with your own numbers

| Compounding | Periods per year | Value after 10 years |
| :--- | :---: | ---: |
| Yearly | 1 | 1628.89 |
| Monthly | 12 | 1647.01 |
| Continuously | ∞ | 1648.72 |

> **Note:** a higher frequency helps less than a higher rate.
> Prices like $5 and $10 stay text.

```python
def compound(principal: float, rate: float, periods: int, years: float) -> float:
    """The value after `years` at `rate`, compounded `periods` times a year."""
    return principal * (1 + rate / periods) ** (periods * years)
```

    indented code stays code

---

Read more in [the Wikipedia article](https://en.wikipedia.org/wiki/Compound_interest),
or at https://www.investopedia.com. ![A chart](https://example.com/chart.png)
'''


def chromium() -> str | None:
    return next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )


def browser_shot(page: Path, out: Path, *, dark: bool, width: int = 1000) -> None:
    browser = chromium()
    if browser is None:
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--hide-scrollbars", f"--user-data-dir={profile}",
                f"--window-size={width},1900", f"--screenshot={out}",
                *(["--force-dark-mode"] if dark else []),
                page.as_uri(),
            ],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip


async def take_rendering(out: Path) -> None:
    from desktop_chat.export import ExportFormat, render
    from desktop_chat.settings import Settings
    from tests.helpers.openai_server import ScriptedReply
    from tests.helpers.screenshots import ask, demo

    for theme in ("light", "dark"):
        async with demo(replace(Settings(), theme=theme)) as (chat, server):
            chat.window.resize(1400, 1900)
            server.enqueue(ScriptedReply(text=EVERYTHING, chunk_chars=24))
            await ask(chat, "Explain compound interest, with the formula and an example.")
            await asyncio.sleep(1.5)  # the formulas' typesetter starts with the first one
            view = chat.window.panel.message_view
            view.verticalScrollBar().setValue(0)
            await asyncio.sleep(0.3)
            chat.window.grab().save(str(out / f"rendering-{theme}.png"))
            conversation = chat.service.conversation(chat.window.conversation_id)
            page = out / "rendering.html"
            page.write_bytes(render(conversation, ExportFormat.HTML))
            browser_shot(page, out / f"rendering-html-{theme}.png", dark=theme == "dark")
