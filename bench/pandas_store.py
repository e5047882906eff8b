#!/usr/bin/python3
"""The pandas way of putting a customer table into a database, for bench/store_write.sh:
read customers.csv with pandas, then DataFrame.to_sql into SQLite (sqlite3) or PostgreSQL
(SQLAlchemy + psycopg2, method="multi" in chunks), or with --copy psycopg2's COPY FROM of the CSV.
Prints "wrote N rows in S s" (the write alone) on stderr.

    pandas_store.py CUSTOMERS.csv sqlite:PATH|postgresql://... [--copy]
"""
import sqlite3
import sys
import time

import pandas as pd

path, target = sys.argv[1], sys.argv[2]
copy = "--copy" in sys.argv[3:]
frame = pd.read_csv(path, dtype={"customer_id": str})
start = time.perf_counter()
if target.startswith("sqlite:"):
    with sqlite3.connect(target[len("sqlite:"):]) as con:
        frame.to_sql("customers", con, index=False, if_exists="replace", chunksize=100_000)
elif copy:
    import psycopg2
    with psycopg2.connect(target) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_customers_copy")
        cur.execute("CREATE TABLE bench_customers_copy (" +
                    ", ".join(f'"{c}" TEXT' for c in frame.columns) + ")")
        with open(path, encoding="utf-8") as handle:
            cur.copy_expert("COPY bench_customers_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
else:
    import sqlalchemy
    engine = sqlalchemy.create_engine(target.replace("postgresql://", "postgresql+psycopg2://", 1))
    frame.to_sql("bench_customers", engine, index=False, if_exists="replace", chunksize=10_000,
                 method="multi")
seconds = time.perf_counter() - start
print(f"wrote {len(frame)} rows in {seconds:.3f} s", file=sys.stderr)
