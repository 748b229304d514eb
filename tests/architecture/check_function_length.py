#!/usr/bin/env python3
"""Functions in app/ stay short enough to read at once (issue 13: about 80 lines). A function
here is a definition whose body opens with '{' alone on a line at column 0 and closes with '}'
at column 0 (our format: .clang-format, Allman braces for functions). Fails naming each one
longer than the limit."""
import pathlib
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
LIMIT = int(sys.argv[2]) if len(sys.argv) > 2 else 80

too_long = []
checked = 0
for path in sorted((ROOT / "app").rglob("*.cpp")):
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    for i, line in enumerate(lines):
        if line != "{" or i == 0:
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j] == "}"), None)
        if end is None:
            continue
        checked += 1
        # the signature may span lines: walk back to its first line
        start = i - 1
        while start > 0 and lines[start - 1].strip() and not lines[start - 1].rstrip().endswith((";", "}", "{")) \
                and not lines[start - 1].startswith(("//", "#")):
            start -= 1
        length = end - start + 1
        if length > LIMIT:
            too_long.append(f"{path.relative_to(ROOT)}:{start + 1}: {lines[start].strip()[:90]} ({length} lines)")

if checked == 0:
    print("no functions found under", ROOT / "app")
    sys.exit(1)
for entry in too_long:
    print(entry)
print(f"{checked} functions checked, {len(too_long)} over {LIMIT} lines")
sys.exit(1 if too_long else 0)
