"""Replies drawn with Qt's rich text (QtGui, no widgets): the window's message view and the
PDF export both build their documents here, from the one Markdown parse."""
