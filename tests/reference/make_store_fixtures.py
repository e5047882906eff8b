#!/usr/bin/python3
"""Writes tests/data/store_orders_2011h1.csv: the lines of online_retail_invoices.csv dated before
2011-07-01, byte for byte. With the full file it makes two snapshots of one shop (the first half
of 2011, then the whole year) for the run store's history and migration goldens."""

import os

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "data")
with open(os.path.join(data, "online_retail_invoices.csv"), encoding="utf-8", newline="") as src:
    lines = src.readlines()
with open(os.path.join(data, "store_orders_2011h1.csv"), "w", encoding="utf-8", newline="") as out:
    out.write(lines[0])
    for line in lines[1:]:
        # InvoiceNo,InvoiceDate,CustomerID,TotalPrice: the date is the second field.
        if line.split(",")[1] < "2011-07-01":
            out.write(line)
