"""Attachments: what a phone photo costs from attaching it to sending it (off the UI thread).

Prints `name: value unit` lines (medians of several runs) for a 4000 by 3000 JPEG photo and
a 2560 by 1440 PNG screenshot:
  attach_photo_ms / attach_screenshot_ms          read, recognise, measure and hash the file
  thumbnail_photo_ms / thumbnail_screenshot_ms    the 360 px preview
  prepare_photo_ms / prepare_screenshot_ms        scaled to 2048 px and encoded for sending
  sent_photo_kb / sent_screenshot_kb              what the request carries (before base64)

Usage: QT_QPA_PLATFORM=offscreen python tests/bench/bench_attachments.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter

from desktop_chat.attachments import image_for_sending, read_file, thumbnail


def _picture(width: int, height: int) -> QImage:
    """Gradients and lines: as hard to compress as a photo or a busy screen."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("#0b3d91"))
    gradient.setColorAt(1, QColor("#f2a900"))
    painter.fillRect(image.rect(), gradient)
    for step in range(0, width, 9):
        painter.setPen(QColor.fromHsv(step % 360, 180, 240))
        painter.drawLine(step, 0, width - step, height)
    painter.end()
    return image


def _median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (fonts for the painter)
    with tempfile.TemporaryDirectory() as temp:
        files = {
            "photo": Path(temp) / "photo.jpg",
            "screenshot": Path(temp) / "screenshot.png",
        }
        _picture(4000, 3000).save(str(files["photo"]), "JPEG", 90)
        _picture(2560, 1440).save(str(files["screenshot"]), "PNG")
        for name, path in files.items():
            _measure(name, path, args.runs)


def _measure(name: str, path: Path, runs: int) -> None:
    item = read_file(path)
    attachment, data = item.attachment, item.data
    print(f"attach_{name}_ms: {_median_ms(lambda: read_file(path), runs):.0f} ms")
    preview = _median_ms(lambda: thumbnail(data, attachment.media_type), runs)
    print(f"thumbnail_{name}_ms: {preview:.0f} ms")
    prepare = _median_ms(lambda: image_for_sending(attachment, data), runs)
    print(f"prepare_{name}_ms: {prepare:.0f} ms")
    _media_type, sent = image_for_sending(attachment, data)
    print(f"sent_{name}_kb: {len(sent) / 1000:.0f} kB (original {len(data) / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
