"""README's first two commands: the ones a new user copies. The set-up one must work as root
on a machine with no sudo (a fresh Debian) and as a user with sudo."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)[:2]


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("user", ["root without sudo", "a user with sudo"])
def test_the_set_up_command_works_as_root_and_as_a_user(tmp_path: Path, user: str) -> None:
    """Run with every program it calls replaced by one that logs its call."""
    stubs, log = tmp_path / "bin", tmp_path / "calls.log"
    stubs.mkdir()
    as_root = user.startswith("root")
    _stub(stubs, "id", f"echo {0 if as_root else 1000}")
    if not as_root:
        _stub(stubs, "sudo", f'echo "sudo $*" >> {log}; "$@"')
    _stub(stubs, "apt-get", f'echo "apt-get $*" >> {log}')
    venv_bin = tmp_path / "clone" / ".venv" / "bin"
    _stub(
        stubs,
        "python3",
        f'echo "python3 $*" >> {log}; mkdir -p {venv_bin}; '
        f"printf '#!/bin/sh\\necho \"pip $*\" >> {log}\\n' > {venv_bin}/pip; "
        f"printf '#!/bin/sh\\necho desktop-chat >> {log}\\n' > {venv_bin}/desktop-chat; "
        f"chmod +x {venv_bin}/pip {venv_bin}/desktop-chat",
    )
    (tmp_path / "clone").mkdir()
    set_up, _test = _commands()
    result = subprocess.run(
        ["/bin/bash", "-c", set_up],
        cwd=tmp_path / "clone",
        env={"PATH": f"{stubs}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    # With sudo, each apt-get is logged twice: by sudo, then by apt-get run through it.
    apt = [c for c in calls if "apt-get" in c and c.startswith("sudo " if not as_root else "a")]
    assert [c.split(" -y ")[0] for c in apt] == [
        f"{'' if as_root else 'sudo '}apt-get update",
        f"{'' if as_root else 'sudo '}apt-get install",
    ]
    assert "python3-venv libgl1" in apt[1]
    assert calls[-3:] == ["python3 -m venv .venv", "pip install .", "desktop-chat"]


def test_the_test_command_is_the_one_ci_runs() -> None:
    _set_up, test = _commands()
    assert test == "bash .ci/test"
    assert "bash .ci/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert os.access(ROOT / ".ci" / "test", os.R_OK)
