"""Before the app starts on a Linux desktop: the system libraries Qt's xcb plugin loads.

The PySide6 wheel brings Qt but not these; without any one of them Qt aborts with "could not
load the Qt platform plugin xcb". Checking first lets `pcbudget open` print the one apt line
that fixes it instead.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

#: What Qt's xcb plugin (and libQt6XcbQpa) link against, by library name, with the Debian and
#: Ubuntu package that ships each (read from `ldd` of the plugin in the PySide6 wheel).
XCB_LIBRARIES: dict[str, str] = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-render": "libxcb-render0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
    "xcb": "libxcb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xkbcommon": "libxkbcommon0",
    "X11-xcb": "libx11-xcb1",
    "X11": "libx11-6",
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
}


def missing_desktop_packages() -> list[str]:
    """The packages to install before Qt's xcb plugin can load (none off Linux or off xcb)."""
    if not sys.platform.startswith("linux"):
        return []
    if os.environ.get("QT_QPA_PLATFORM", "xcb") not in ("", "xcb"):
        return []  # offscreen, wayland, vnc...: not the xcb plugin
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def desktop_problem() -> str | None:
    """One line naming the apt command that lets the app start, or None if nothing is missing."""
    missing = missing_desktop_packages()
    if not missing:
        return None
    return (
        f"The desktop app needs {', '.join(missing)} on Linux (Qt's xcb plugin will not load "
        f"without {'it' if len(missing) == 1 else 'them'}): sudo apt install {' '.join(missing)}"
    )
