"""What a screen reader sees: the accessible tree of the application named argv[1] on the
AT-SPI bus, as one line of JSON (role, name, text, actions, states of every node).

Run by the system's Python, which has pyatspi (Debian: python3-pyatspi), not the app's:
    /usr/bin/python3 tests/helpers/atspi_reader.py desktop-chat [SECONDS]
"""

import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]


def walk(node, depth=0, out=None):  # type: ignore[no-untyped-def]
    if out is None:
        out = []
    try:
        role = node.getRoleName()
        name = node.name or ""
        text = ""
        try:
            t = node.queryText()
            text = t.getText(0, -1)
        except Exception:
            pass
        actions = []
        try:
            a = node.queryAction()
            actions = [a.getName(i) for i in range(a.nActions)]
        except Exception:
            pass
        states = node.getState()
        out.append(
            {
                "depth": depth,
                "role": role,
                "name": name,
                "text": text[:4000],
                "actions": actions,
                "editable": states.contains(pyatspi.STATE_EDITABLE),
                "showing": states.contains(pyatspi.STATE_SHOWING),
            }
        )
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is not None and depth < 40:
                walk(child, depth + 1, out)
    except Exception as exc:
        out.append({"depth": depth, "error": str(exc)})
    return out


deadline = time.time() + float(sys.argv[2] if len(sys.argv) > 2 else 20)
while time.time() < deadline:
    desktop = pyatspi.Registry.getDesktop(0)
    apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
    found = [a for a in apps if a is not None and a.name == sys.argv[1]]
    if found:
        print(json.dumps(walk(found[0])))
        break
    time.sleep(0.3)
else:
    print(json.dumps({"apps": [a.name for a in apps if a is not None]}))
