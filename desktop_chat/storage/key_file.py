"""API keys in a plain-text file: only where the user chose it, after a warning, because no
system keyring was usable. Readable by its owner only (mode 0600 on POSIX)."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

from ..i18n import translate
from .files import write_atomic

KEY_FILE_NAME = "api-keys.json"


class PlaintextKeyFile:
    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / KEY_FILE_NAME
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PlaintextKeyFile({str(self.path)!r})"

    def get(self, profile: str) -> str | None:
        with self._lock:
            key = self._read().get(profile)
        return key if isinstance(key, str) and key else None

    def set(self, profile: str, key: str) -> None:
        with self._lock:
            keys = self._read()
            keys[profile] = key
            self._write(keys)

    def delete(self, profile: str) -> None:
        with self._lock:
            keys = self._read()
            if keys.pop(profile, None) is None:
                return
            if keys:
                self._write(keys)
            else:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:
            # Never quote the file: it holds keys.
            raise OSError(
                translate("Secrets", "{file} is damaged and cannot be read").format(
                    file=self.path.name
                )
            ) from None
        keys = data.get("keys") if isinstance(data, dict) else None
        return dict(keys) if isinstance(keys, dict) else {}

    def _write(self, keys: dict[str, object]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": 1, "keys": keys}, indent=1) + "\n"
        # write_atomic's temporary file is created 0600, so the key is never readable by
        # others, not even for a moment; the chmod covers umasks and older files.
        write_atomic(self.path, text.encode("utf-8"))
        if os.name != "nt":
            self.path.chmod(0o600)
