#!/usr/bin/env python3
"""The doors of docs/architecture.md, kept by a test: fails when a room includes what its
doors forbid (another room's headers, or a third-party library that lives elsewhere)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")

# room -> rooms it may include
DOORS = {
    "core": set(),
    "cache": {"core"},
    "netclient": {"core"},
    "render": {"core"},
    "viewer": {"render", "core"},
    "app": {"viewer", "render", "cache", "netclient", "core"},
}
ROOMS = set(DOORS)

# third-party include prefixes -> rooms allowed to use them
THIRD_PARTY = {
    "dcmtk/": {"core", "netclient"},
    "gdcm": {"core"},
    "sqlite3.h": {"cache"},
    "vtk": {"render", "viewer"},
    "itk": {"render", "viewer"},
    "Q": {"viewer", "app"},  # Qt headers (QWidget, QtCore/...)
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


violations = []
checked = 0
for room, allowed in DOORS.items():
    for path in sorted((ROOT / room).rglob("*")):
        if path.suffix not in {".h", ".hpp", ".cpp", ".cc"}:
            continue
        checked += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        for header in INCLUDE.findall(text):
            first = header.split("/")[0]
            if first in ROOMS and first != room and first not in allowed:
                violations.append(f"{path.relative_to(ROOT)}: includes {header} (room '{room}' has no door to '{first}')")
            owner = third_party_owner(header)
            if owner and room not in THIRD_PARTY[owner]:
                violations.append(f"{path.relative_to(ROOT)}: includes {header} ({owner} belongs to {sorted(THIRD_PARTY[owner])})")
        # DCMTK inside netclient stays in netclient/internal/.
        if room == "netclient" and "internal" not in path.parts and "dcmtk/" in text:
            violations.append(f"{path.relative_to(ROOT)}: DCMTK outside netclient/internal/")

if checked == 0:
    print("no sources found under", ROOT)
    sys.exit(1)
for violation in violations:
    print(violation)
print(f"{checked} files checked, {len(violations)} door violations")
sys.exit(1 if violations else 0)
