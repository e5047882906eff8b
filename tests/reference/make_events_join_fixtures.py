"""Writes the joined-view fixtures of `custlens events --orders/--profiles` (tests/data/SOURCES.md):
order lines and a profile table for some of the users of taobao_user_behavior_sample.csv, plus
customers the log does not have. Seeded; run once, the outputs are committed."""
import csv
import pathlib
import random

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
rng = random.Random(20171203)

users = sorted({row[0] for row in csv.reader(open(DATA / "taobao_user_behavior_sample.csv"))},
               key=int)
order_users = sorted(rng.sample(users, 30), key=int) + [f"90000{i}" for i in range(1, 7)]
profile_users = sorted(rng.sample(users, 34), key=int) + [f"90000{i}" for i in (2, 3)] + \
    [f"80000{i}" for i in range(1, 4)]

with open(DATA / "events_join_orders.csv", "w", newline="") as handle:
    out = csv.writer(handle, lineterminator="\n")
    out.writerow(["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
                  "CustomerID", "Country"])
    invoice = 536000
    for n, user in enumerate(order_users):
        for _ in range(rng.choice([1, 1, 2, 3, 4, 6])):
            invoice += 1
            day = rng.randint(1, 185)  # days after 2017-06-01
            month, dom = [(6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 3)], day
            for m, length in month:
                if dom <= length:
                    break
                dom -= length
            when = f"2017-{m:02d}-{dom:02d} {rng.randint(8, 21):02d}:{rng.choice([0, 15, 30, 45]):02d}"
            # A float-written id on one customer's lines: it is the same customer.
            shown = f"{user}.0" if n == 3 else user
            for _ in range(rng.randint(1, 3)):
                out.writerow([invoice, f"SKU-{rng.randint(1, 60):04d}", "ITEM",
                              rng.randint(1, 12), when, f"{rng.choice([1.25, 2.5, 3.75, 9.95, 19.9]):.2f}",
                              shown, "China"])
    # A cancellation and a line without customer: the order cleaning rejects both.
    out.writerow([f"C{invoice}", "SKU-0001", "ITEM", -2, "2017-11-30 10:00", "2.50",
                  order_users[0], "China"])
    out.writerow([invoice + 1, "SKU-0002", "ITEM", 1, "2017-11-30 11:00", "2.50", "", "China"])

with open(DATA / "events_join_profiles.csv", "w", newline="") as handle:
    out = csv.writer(handle, lineterminator="\n")
    out.writerow(["User_ID", "Age", "Gender", "Location", "Income", "Interests",
                  "Last_Login_Days_Ago", "Purchase_Frequency", "Average_Order_Value",
                  "Total_Spending", "Product_Category_Preference", "Time_Spent_on_Site_Minutes",
                  "Pages_Viewed"])
    for user in profile_users:
        out.writerow([user, rng.randint(18, 65), rng.choice(["Male", "Female"]),
                      rng.choice(["Urban", "Suburban", "Rural"]), rng.randint(20000, 140000),
                      rng.choice(["Sports", "Books", "Fashion", "Technology"]),
                      rng.randint(1, 30), rng.randint(1, 20), rng.randint(20, 200),
                      rng.randint(100, 5000), rng.choice(["Books", "Electronics", "Apparel"]),
                      rng.randint(30, 600), rng.randint(5, 50)])
