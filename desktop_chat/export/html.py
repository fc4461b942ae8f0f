"""A conversation as one self-contained, inert HTML page.

Styled for light and dark desktops and for print, code coloured by Pygments, and nothing
that runs: replies are Markdown rendered with raw HTML turned off (so `<script>` or an
`onerror=` attribute shows as text), links only to http, https and mailto, images shown as
links (a remote image would call home), no script anywhere, and a Content-Security-Policy
that forbids scripts, remote loads and forms even if something slipped through.
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import Any

from ..domain import Attachment, Conversation, Message, Role
from ..errors import ChatError
from ..i18n import translate
from ..images import ImageThread, on_image_thread
from ..markdown import parser, safe_link
from .text import (
    Reader,
    attachment_label,
    ending_note,
    reasoning_label,
    speaker,
    summary_line,
    title_of,
    when,
)

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_PAGE_CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff;
  --card: #f6f8fa; --border: #d1d9e0; --user: #eef4ff; --link: #0550ae; --warn: #8a4b00; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23;
    --border: #3d444d; --user: #172235; --link: #6cb6ff; --warn: #e3b341; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 2rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.meta, footer, time { color: var(--muted); font-size: .85rem; }
details.system { margin: 1rem 0; color: var(--muted); }
article { margin: 1rem 0; padding: .75rem 1rem; border: 1px solid var(--border);
  border-radius: 10px; background: var(--card); overflow-wrap: anywhere; }
article.user { background: var(--user); }
article h2 { font-size: .95rem; margin: 0 0 .5rem; }
article h2 time { font-weight: normal; margin-left: .5rem; }
.plain { white-space: pre-wrap; margin: 0; }
.note { color: var(--warn); font-style: italic; }
figure.attachment { margin: 0 0 .75rem; }
figure.attachment img { max-width: 100%; height: auto; border-radius: 6px;
  border: 1px solid var(--border); display: block; }
figcaption, details.attachment summary { color: var(--muted); font-size: .85rem; }
details.attachment { margin: 0 0 .75rem; }
details.reasoning, p.reasoning { margin: 0 0 .75rem; color: var(--muted);
  font-size: .9rem; }
details.reasoning summary { cursor: pointer; }
details.reasoning > div { border-left: 3px solid var(--border); padding-left: .75rem; }
details.attachment pre { margin: .4rem 0 0; white-space: pre-wrap; }
a { color: var(--link); }
pre { overflow-x: auto; padding: .75rem; border-radius: 8px; border: 1px solid var(--border);
  font-size: .9rem; line-height: 1.4; white-space: pre; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
:not(pre) > code { background: var(--card); border: 1px solid var(--border);
  border-radius: 4px; padding: 0 .25rem; font-size: .9em; }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: .3rem .6rem; }
blockquote { margin: 0; padding-left: 1rem; border-left: 3px solid var(--border);
  color: var(--muted); }
div.math { margin: .75rem 0; overflow-x: auto; text-align: center; }
math { font-size: 1.1em; }
pre.math { text-align: left; }
ul.contains-task-list { list-style: none; padding-left: 1.25rem; }
hr { border: 0; border-top: 1px solid var(--border); margin: 1.25rem 0; }
footer { padding: 1rem 1rem 2rem; }
@media print {
  :root { --fg: #000; --muted: #444; --bg: #fff; --card: #fff; --user: #f3f6fb;
    --border: #bbb; --link: #000; }
  body { font-size: 11pt; }
  header, main, footer { max-width: none; }
  article { break-inside: auto; }
  pre { white-space: pre-wrap; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; color: #444; }
}
"""


def html(
    conversation: Conversation, *, read: Reader | None = None, images: ImageThread | None = None
) -> str:
    """The page for `conversation`, as text (encode it as UTF-8). `read` gives an
    attachment's bytes (raising ChatError when it is missing); without it attachments are
    only named."""
    title = escape(title_of(conversation))
    language = translate("Export", "en", "the language code of the exported page")
    footer = translate("Export", "Exported from Desktop Chat.")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{_PAGE_CSS}{_code_css()}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        f'<p class="meta">{escape(summary_line(conversation))}</p>',
    ]
    system_prompt = conversation.settings.system_prompt.strip()
    if system_prompt:
        label = translate("Export", "System prompt")
        parts += [
            f'<details class="system"><summary>{escape(label)}</summary>',
            f'<p class="plain">{escape(system_prompt)}</p></details>',
        ]
    parts += ["</header>", "<main>"]
    parts += [_article(message, read, images) for message in conversation.messages]
    parts += [
        "</main>",
        f"<footer>{escape(footer)}</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _article(
    message: Message, read: Reader | None = None, images: ImageThread | None = None
) -> str:
    role = message.role.value
    heading = (
        f"<h2>{escape(speaker(message))} · "
        f'<time datetime="{message.created_at.isoformat()}">{escape(when(message.created_at))}'
        "</time></h2>"
    )
    if message.role is Role.ASSISTANT:
        body = f'<div class="content">{render_markdown(message.content)}</div>'
        label = escape(reasoning_label(message))
        if message.reasoning:
            # Closed, as in the window: the answer is what a reader came for.
            thoughts = render_markdown(message.reasoning)
            body = (
                f'<details class="reasoning"><summary>{label}</summary>'
                f"<div>{thoughts}</div></details>{body}"
            )
        elif message.reasoned:  # the server hid the thoughts: only that it thought
            body = f'<p class="reasoning">{label}</p>{body}'
    else:
        # The user's own words, as typed: no Markdown surprises, only escaped text.
        body = f'<p class="plain">{escape(message.content)}</p>' if message.content else ""
    if message.attachments:
        body = "".join(_attachment(a, read, images) for a in message.attachments) + body
    note = ending_note(message)
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    opening = f'<article class="message {role}" id="m-{escape(message.id)}">'
    return f"{opening}{heading}{body}{note_html}</article>"


def _attachment(attachment: Attachment, read: Reader | None, images: ImageThread | None) -> str:
    """An image embedded in the page (a data: URL: the page stays one file), or a text
    file's name with its content; a missing file is said so."""
    from ..attachments import describe_size

    label = escape(attachment_label(attachment))
    if read is None:
        return f'<p class="note">[{label}]</p>'
    try:
        data = read(attachment)
    except ChatError as exc:
        return f'<p class="note">{escape(exc.message)}</p>'
    if attachment.is_image:
        from ..attachments import data_url, image_for_sending

        width, height = attachment.fitted(720, 540)
        # Past the size sent to models, the page carries the scaled copy: a 20 MB photo
        # would make a 27 MB page.
        source = data_url(*on_image_thread(images, image_for_sending, attachment, data))
        return (
            f'<figure class="attachment"><img src="{source}" '
            f'alt="{escape(attachment.name)}" width="{width}" height="{height}">'
            f"<figcaption>{escape(attachment.name)}</figcaption></figure>"
        )
    text = escape(data.decode("utf-8-sig", errors="replace"))
    size = escape(describe_size(attachment.size))
    return (
        f'<details class="attachment"><summary>{escape(attachment.name)} · {size}</summary>'
        f"<pre><code>{text}</code></pre></details>"
    )


def render_markdown(text: str) -> str:
    """A reply's Markdown as HTML, from the same parse as the window's: raw HTML escaped,
    only safe links, pictures as links, formulas as MathML (no script)."""
    md = parser(_highlight)
    return str(_renderer(md).render(md.parse(text), md.options, {}))


@cache
def _renderer(md: Any) -> Any:
    renderer = md.renderer

    def link_open(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        tokens[index].attrSet("rel", "noopener noreferrer nofollow")
        return str(self.renderToken(tokens, index, options, env))

    def image(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        # A remote image would be fetched (and could track) when the page is opened.
        token = tokens[index]
        source = str(token.attrGet("src") or "")
        label = escape(translate("Export", "Image: {name}").format(name=token.content or source))
        if not safe_link(source):
            return label
        return f'<a href="{escape(source)}" rel="noopener noreferrer nofollow">{label}</a>'

    def math(display: bool) -> Any:
        def rule(self: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
            return mathml(str(tokens[index].content).strip(), display)

        return rule

    renderer.rules["link_open"] = link_open.__get__(renderer)
    renderer.rules["image"] = image.__get__(renderer)
    for name, display in (
        ("math_inline", False),
        ("math_inline_double", True),
        ("math_block", True),
        ("math_block_eqno", True),
    ):
        renderer.rules[name] = math(display).__get__(renderer)
    return renderer


def mathml(latex: str, display: bool) -> str:
    """A formula as MathML, which browsers draw themselves; its source in code if it
    cannot be converted."""
    try:
        from latex2mathml.converter import convert

        converted = convert(latex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of error on bad input
        source = escape(latex)
        return f'<pre class="math">{source}</pre>' if display else f"<code>{source}</code>"
    return f'<div class="math">{converted}</div>' if display else converted


def _highlight(code: str, language: str, _attributes: Any) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    name = language.strip().split()[0] if language.strip() else ""
    if not name:
        return ""  # markdown-it escapes it as plain code
    try:
        lexer = get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return ""
    coloured = highlight(code, lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="highlight"><code class="language-{escape(name)}">{coloured}</code></pre>\n'


@cache
def _code_css() -> str:
    from pygments.formatters import HtmlFormatter

    def rules(style: str) -> str:
        lines = HtmlFormatter(style=style).get_style_defs(".highlight").splitlines()
        return "\n".join(line for line in lines if line.startswith(".highlight"))

    return (
        "\n.highlight { background: var(--card); }\n"
        + rules("default")
        + "\n@media (prefers-color-scheme: dark) { @media screen {\n"
        + rules("monokai")
        + "\n} }\n"
    )
