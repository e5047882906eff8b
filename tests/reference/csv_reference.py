#!/usr/bin/python3
"""Independent reference for the CSV reader (src/io/csv.cpp): pandas reads each input as text and
writes, per file, the column names, the row count and per-column facts (total UTF-8 bytes,
distinct values, first and last value) to tests/reference/golden/csv/<file>.json.

pandas 1.5 (Debian python3-pandas); run with /usr/bin/python3 from the repository root:
    /usr/bin/python3 tests/reference/csv_reference.py
The reader's own conventions applied here on top of pandas: a header-less file's columns are
column_1..column_N and an empty header name is column_N (pandas says "Unnamed: N-1").
"""
import json
import pathlib

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/reference/golden/csv"

# (file, encoding, has header)
INPUTS = [
    ("tests/data/online_retail_invoices.csv", "utf-8", True),
    ("tests/data/taobao_user_behavior_sample.csv", "utf-8", False),
    ("tests/data/tianchi_behavior_zh.csv", "utf-8", True),
    ("tests/data/user_personalized_features.csv", "utf-8", True),
    ("tests/data/csv/latin1_orders.csv", "latin-1", True),
    ("tests/data/csv/gbk_products.csv", "gbk", True),
    ("tests/data/csv/quoted_multiline.csv", "utf-8", True),
]


def column_names(frame, has_header):
    if not has_header:
        return [f"column_{i + 1}" for i in range(frame.shape[1])]
    return [f"column_{i + 1}" if str(name).startswith("Unnamed: ") else str(name)
            for i, name in enumerate(frame.columns)]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for path, encoding, has_header in INPUTS:
        frame = pd.read_csv(ROOT / path, dtype=str, keep_default_na=False, encoding=encoding,
                            header=0 if has_header else None)
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
