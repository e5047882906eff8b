#!/usr/bin/python3
"""Independent reference for the CSV reader (src/io/csv.cpp): pandas reads each input as text and
writes, per file, the column names, the row count and per-column facts (total UTF-8 bytes,
distinct values, first and last value) to tests/reference/golden/csv/<file>.json.

pandas 1.5 (Debian python3-pandas); run with /usr/bin/python3 from the repository root:
    /usr/bin/python3 tests/reference/csv_reference.py
The reader's own conventions applied here on top of pandas: a header-less file's columns are
column_1..column_N, or the names of its known layout (src/io/layouts.cpp) when it is one, and an
empty header name is column_N (pandas says "Unnamed: N-1"). Whitespace-aligned files are read
with pandas' delim_whitespace (runs of spaces and tabs, leading ones ignored).
"""
import json
import pathlib

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/reference/golden/csv"

# The names custlens gives the headerless layouts it recognises (docs/csv.md, "Header").
TAOBAO = ["user_id", "item_id", "category_id", "behavior_type", "timestamp"]
CDNOW = ["master_id", "customer_id", "date", "cds", "amount"]

# (file, encoding, True for a header row or the layout's names, whitespace-aligned)
INPUTS = [
    ("tests/data/online_retail_invoices.csv", "utf-8", True),
    ("tests/data/taobao_user_behavior_sample.csv", "utf-8", TAOBAO),
    ("tests/data/CDNOW_sample.txt", "utf-8", CDNOW, True),
    ("tests/data/tianchi_behavior_zh.csv", "utf-8", True),
    ("tests/data/user_personalized_features.csv", "utf-8", True),
    ("tests/data/csv/latin1_orders.csv", "latin-1", True),
    ("tests/data/csv/gbk_products.csv", "gbk", True),
    ("tests/data/csv/quoted_multiline.csv", "utf-8", True),
]


def column_names(frame, has_header):
    if has_header is not True:
        return has_header or [f"column_{i + 1}" for i in range(frame.shape[1])]
    return [f"column_{i + 1}" if str(name).startswith("Unnamed: ") else str(name)
            for i, name in enumerate(frame.columns)]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for path, encoding, has_header, *aligned in INPUTS:
        frame = pd.read_csv(ROOT / path, dtype=str, keep_default_na=False, encoding=encoding,
                            header=0 if has_header is True else None,
                            delim_whitespace=bool(aligned and aligned[0]))
        columns = []
        for name, (_, values) in zip(column_names(frame, has_header), frame.items()):
            columns.append({
                "name": name,
                "bytes": int(sum(len(v.encode("utf-8")) for v in values)),
                "distinct": int(values.nunique()),
                "first": values.iloc[0],
                "last": values.iloc[-1],
            })
        golden = {"file": path, "encoding": encoding, "rows": int(len(frame)), "columns": columns}
        target = OUT / (pathlib.Path(path).stem + ".json")
        target.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{target.relative_to(ROOT)}: {len(frame)} rows, {len(columns)} columns")


if __name__ == "__main__":
    main()
