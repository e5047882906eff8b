#!/usr/bin/python3
"""Compares a peer's `events` JSON with custlens' (or a golden's) for bench/events_vs_peers.sh.

    events_compare.py EXPECTED.json ACTUAL.json [--tolerance 1e-12]

Only the keys ACTUAL has are compared (the peers compute audit, kpis, funnel steps, retention,
hours, days, categories and items, not lifecycle or breakdowns). Integers and texts must be equal;
floats equal within the relative tolerance (absolute below 1); null only against null. Prints
one line per difference (at most 20) and exits 1 when there is any, else prints "ok"."""
import json
import sys

KEYS = ["audit", "kpis", "funnel", "retention", "hours", "days", "categories", "items", "tz"]


def load(path):
    text = open(path, encoding="utf-8").read().strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(text.splitlines()[-1])  # a peer's last line


def differences(expected, actual, path, tolerance, out):
    if isinstance(expected, bool) or isinstance(actual, bool):
        if expected is not actual:
            out.append(f"{path}: {expected!r} != {actual!r}")
    elif isinstance(expected, int) and isinstance(actual, int):
        if expected != actual:
            out.append(f"{path}: {expected} != {actual}")
    elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if abs(expected - actual) > tolerance * max(1.0, abs(expected)):
            out.append(f"{path}: {expected!r} != {actual!r}")
    elif isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() | actual.keys():
            if key not in expected or key not in actual:
                out.append(f"{path}.{key}: only in {'expected' if key in expected else 'actual'}")
            else:
                differences(expected[key], actual[key], f"{path}.{key}", tolerance, out)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} entries != {len(actual)}")
        for n, (e, a) in enumerate(zip(expected, actual)):
            differences(e, a, f"{path}[{n}]", tolerance, out)
    elif expected != actual:
        out.append(f"{path}: {expected!r} != {actual!r}")


def compare(expected, actual, tolerance=1e-12):
    out = []
    for key in KEYS:
        if key not in actual:
            continue
        if key not in expected:
            out.append(f"{key}: missing in expected")
            continue
        e, a = expected[key], actual[key]
        if key == "funnel" and e is not None and a is not None:
            e = {k: e.get(k) for k in ("mode", "window_seconds", "steps")}
            a = {k: a.get(k) for k in ("mode", "window_seconds", "steps")}
        differences(e, a, key, tolerance, out)
    return out


def main(argv):
    tolerance = 1e-12
    if "--tolerance" in argv:
        at = argv.index("--tolerance")
        tolerance = float(argv[at + 1])
        del argv[at:at + 2]
    expected, actual = load(argv[0]), load(argv[1])
    out = compare(expected, actual, tolerance)
    for line in out[:20]:
        print(line)
    if len(out) > 20:
        print(f"... {len(out) - 20} more")
    if not out:
        print("ok")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
