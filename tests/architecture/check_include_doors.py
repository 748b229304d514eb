#!/usr/bin/env python3
"""The doors of docs/architecture.md, kept by a test: fails when a room includes what its
doors forbid (another room's headers, or a third-party library that lives elsewhere)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")

# room -> rooms it may include (app's inner rooms are rooms of their own)
DOORS = {
    "core": set(),
    "cache": {"core"},
    "netclient": {"core"},
    "render": {"core"},
    "viewer": {"render", "core"},
    "app/services": {"render", "cache", "netclient", "core"},
    # widgets: services, the viewer, render's and core's value types; never cache, netclient,
    # DCMTK or SQLite (the third-party table below)
    "app/gui": {"app/services", "viewer", "render", "core"},
    "app/cli": {"app/services", "render", "core"},
}
ROOMS = set(DOORS)

# CLI commands that still reach cache/ or netclient/ directly (issue 13: to move onto the
# services). The list only shrinks: any other file of app/cli that includes them fails.
NOT_MOVED_YET = {
    "app/cli/BrowseCommands.cpp",
    "app/cli/MaintenanceCommands.cpp",
    "app/cli/NetworkCommands.cpp",
    "app/cli/QuarantineCommands.cpp",
    "app/cli/QueueCommands.cpp",
    "app/cli/SeriesInput.cpp",
    "app/cli/VolumeCommand.cpp",
}


def room_of(header):
    """The room an include names: "app/gui/X.h" -> "app/gui", "cache/X.h" -> "cache"."""
    parts = header.split("/")
    if len(parts) > 2 and "/".join(parts[:2]) in ROOMS:
        return "/".join(parts[:2])
    return parts[0] if parts[0] in ROOMS else None

# third-party include prefixes -> rooms allowed to use them
THIRD_PARTY = {
    "dcmtk/": {"core", "netclient"},
    "gdcm": {"core"},
    "sqlite3.h": {"cache"},
    "vtk": {"render", "viewer"},
    "itk": {"render", "viewer"},
    "Q": {"viewer", "app/services", "app/gui", "app/cli"},  # Qt headers (QWidget, QtCore/...)
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)


def third_party_owner(header):
    if header.startswith("dcmtk/"):
        return "dcmtk/"
    if header.startswith("gdcm"):
        return "gdcm"
    if header == "sqlite3.h":
        return "sqlite3.h"
    if header.startswith("vtk"):
        return "vtk"
    if header.startswith("itk"):
        return "itk"
    if re.match(r"^Qt[A-Za-z]*/|^Q[A-Z][A-Za-z]+$", header):
        return "Q"
    return None


def check(root):
    violations = []
    checked = 0
    for room, allowed in DOORS.items():
        for path in sorted((root / room).rglob("*")):
            if path.suffix not in {".h", ".hpp", ".cpp", ".cc"}:
                continue
            checked += 1
            violations += violations_in(root, room, allowed, path)
    return checked, violations


def violations_in(root, room, allowed, path):
    found = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for header in INCLUDE.findall(text):
        target = room_of(header)
        waiting = str(path.relative_to(root)) in NOT_MOVED_YET and target in {"cache", "netclient"}
        if target and target != room and target not in allowed and not waiting:
            found.append(f"{path.relative_to(root)}: includes {header} (room '{room}' has no door to '{target}')")
        owner = third_party_owner(header)
        if owner and room not in THIRD_PARTY[owner]:
            found.append(f"{path.relative_to(root)}: includes {header} ({owner} belongs to {sorted(THIRD_PARTY[owner])})")
    # Services are Qt Core at most: no widgets, no GUI types.
    if room == "app/services" and re.search(r'#\s*include\s*[<"](QtWidgets/|QtGui/|QWidget|QImage|QPixmap|QApplication)', text):
        found.append(f"{path.relative_to(root)}: Qt GUI in app/services (Qt Core at most)")
    # DCMTK inside netclient stays in netclient/internal/.
    if room == "netclient" and "internal" not in path.parts and "dcmtk/" in text:
        found.append(f"{path.relative_to(root)}: DCMTK outside netclient/internal/")
    return found


def self_check():
    """The test must be able to fail: a planted cache, netclient, DCMTK and SQLite include in
    app/gui, and a cache include in a CLI file not on the waiting list, are each caught."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        (root / "app/gui").mkdir(parents=True)
        (root / "app/cli").mkdir(parents=True)
        planted = ["cache/LocalCache.h", "netclient/Find.h", "dcmtk/dcmdata/dctk.h", "sqlite3.h"]
        for n, header in enumerate(planted):
            (root / "app/gui" / f"Planted{n}.cpp").write_text(f'#include "{header}"\n')
        (root / "app/cli" / "PlantedCommand.cpp").write_text('#include "cache/LocalCache.h"\n')
        _, caught = check(root)
        return len(caught) == len(planted) + 1


if not self_check():
    print("the door check misses a planted cache/netclient/DCMTK/SQLite include in app/gui")
    sys.exit(1)
checked, violations = check(ROOT)
if checked == 0:
    print("no sources found under", ROOT)
    sys.exit(1)
for violation in violations:
    print(violation)
print(f"{checked} files checked, {len(violations)} door violations")
sys.exit(1 if violations else 0)
