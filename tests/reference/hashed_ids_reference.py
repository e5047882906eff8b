#!/usr/bin/env python3
"""Reference for `--hash-ids`: HMAC-SHA256 (key = salt, message = the normalised customer id as
UTF-8), shown as the first 20 lower-case hex digits. Written from the README's contract with
Python's hmac and hashlib only, without reading the C++ code.

Writes golden/hashed_ids/hashes.csv (salt, customer_id, hash) for the customers of the
orders_edge golden under two salts, plus a few ids that stress the encoding, and
golden/hashed_ids/orders_edge_customers.csv: the orders_edge customer table (scheme five) with
its ids hashed under the first salt and the rows sorted by hash, as `custlens analyze
--hash-ids` must write it.

    /usr/bin/python3 tests/reference/hashed_ids_reference.py [--out DIR]
"""
import argparse
import csv
import hashlib
import hmac
import os

HEX_DIGITS = 20
SALTS = ["custlens-test-salt", "another salt, 另一个盐"]
# Ids that are not plain numbers: non-ASCII, punctuation, a long one.
EXTRA_IDS = ["客户_0001", "user@example.com", "A-17850/x", "9" * 64]


def hashed(salt: str, customer_id: str) -> str:
    mac = hmac.new(salt.encode("utf-8"), customer_id.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:HEX_DIGITS]


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(here, "golden", "hashed_ids"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    with open(os.path.join(here, "golden", "orders_edge", "five", "customers.csv"),
              newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = [row["customer_id"] for row in rows] + EXTRA_IDS

    with open(os.path.join(args.out, "hashes.csv"), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["salt", "customer_id", "hash"])
        for salt in SALTS:
            for customer_id in ids:
                out.writerow([salt, customer_id, hashed(salt, customer_id)])

    for row in rows:
        row["customer_id"] = hashed(SALTS[0], row["customer_id"])
    rows.sort(key=lambda row: row["customer_id"])
    with open(os.path.join(args.out, "orders_edge_customers.csv"), "w", newline="",
              encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


if __name__ == "__main__":
    main()
