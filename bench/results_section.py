#!/usr/bin/env python3
"""Puts a benchmark's section into bench/RESULTS.md between its markers, keeping the rest.

    results_section.py RESULTS.md NAME SECTION_FILE HEADING

The markers are <!-- NAME:begin --> and <!-- NAME:end -->; where the file lacks them, a
`## HEADING` and the markers are appended."""
import os
import sys

path, name, section_file, heading = sys.argv[1:5]
section = open(section_file).read()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
else:
    head, tail = text.rstrip("\n") + f"\n\n## {heading}\n\n", "\n"
open(path, "w").write(f"{head}{begin}\n{section}{end}{tail}")
