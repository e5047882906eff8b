"""Seeded fixtures of `custlens campaign`: order lines and two contact lists in tests/data/.

    /usr/bin/python3 tests/reference/make_campaign_fixtures.py [--out tests/data]

campaign_orders.csv: ~1,000 customers buying at their own Poisson rates from 2024-01-01 to
2024-07-31 (InvoiceNo, InvoiceDate, CustomerID, Amount), plus the extra orders a campaign caused.
campaign_contacts.csv: three campaigns (English headers): spring_winback (a real effect: treated
customers buy again with probability +0.12 within 30 days), summer_news (no effect) and tiny_test
(15 + 15 customers: too small to judge), customers without any order, and bad rows of each kind.
campaign_targets_zh.csv: a predict-like target list (客户ID, 得分, 十分位, 层级, 活动, 组别, 发送时间,
渠道, 成本) with an 80/20 split, whose effect grows with the score.
"""

import argparse
import csv
import datetime as dt
import os

import numpy as np

START = dt.date(2024, 1, 1)
END = dt.date(2024, 7, 31)


def day_text(day, rng):
    moment = dt.datetime.combine(START + dt.timedelta(days=int(day)), dt.time()) + dt.timedelta(
        minutes=int(rng.integers(8 * 60, 22 * 60)))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data"))
    args = parser.parse_args()
    rng = np.random.default_rng(13)
    days = (END - START).days + 1
    customers = [f"C{i:04d}" for i in range(1, 1001)]
    rate = rng.gamma(shape=1.2, scale=1 / 90, size=len(customers))  # orders per day
    level = rng.normal(3.5, 0.7, size=len(customers))  # each customer's usual order size (log)
    orders = []  # (day, customer, amount)
    for customer, r, mu in zip(customers, rate, level):
        count = rng.poisson(r * days)
        for day in rng.integers(0, days, size=count):
            orders.append((int(day), customer, round(float(rng.lognormal(mu, 0.4)), 2)))

    def send_day(text):
        return (dt.date.fromisoformat(text) - START).days

    # Campaign effects: extra orders of treated customers within the window.
    contacts = []  # customer, campaign, group, sent_at, channel, cost
    shuffled = list(rng.permutation(customers))
    for customer in shuffled[:600]:
        group = "treatment" if rng.random() < 0.5 else "control"
        contacts.append([customer, "spring_winback", group, "2024-04-01", "sms", "0.05"])
        if group == "treatment" and rng.random() < 0.12:
            day = send_day("2024-04-01") + int(rng.integers(0, 30))
            orders.append((day, customer, round(float(rng.lognormal(3.6, 0.5)), 2)))
    for customer in shuffled[300:700]:
        group = "treatment" if rng.random() < 0.5 else "control"
        channel = "email" if rng.random() < 0.7 else "app"
        contacts.append([customer, "summer_news", group, "2024-05-15 09:30", channel, "0.01"])
    for i, customer in enumerate(shuffled[700:730]):
        group = "treatment" if i % 2 == 0 else "control"
        contacts.append([customer, "tiny_test", group, "2024/06/10", "sms", "0.2"])
    for i in range(1, 21):  # contacts who never bought
        group = "treatment" if i % 2 else "control"
        contacts.append([f"N{i:03d}", "summer_news", group, "2024-05-15", "email", "0.01"])
    bad = [
        ["C9001", "spring_winback", "maybe", "2024-04-01", "sms", "0.05"],  # bad_group
        ["C9002", "spring_winback", "control", "2024-13-45", "sms", "0.05"],  # bad_sent_at
        ["", "spring_winback", "control", "2024-04-01", "sms", "0.05"],  # missing_customer
        ["C9003", "summer_news", "treatment", "2024-05-15", "email", "abc"],  # bad_cost
        ["C9004", "", "treatment", "2024-05-15", "email", "0.01"],  # missing_campaign
        ["C9005", "summer_news", "holdout", "2024-05-15", "email", "0.01"],  # duplicate (both)
        ["C9005", "summer_news", "test", "2024-05-15", "email", "0.01"],
    ]
    rows = contacts + bad
    order = rng.permutation(len(rows))
    with open(os.path.join(args.out, "campaign_contacts.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["customer_id", "campaign", "group", "sent_at", "channel", "cost"])
        for i in order:
            writer.writerow(rows[i])
        handle.write("C9006,summer_news,control\n")  # malformed: too few fields

    # The Chinese target list: a score, its deciles, an 80/20 split; the effect grows with score.
    targets = shuffled[:500]
    scores = np.round(rng.random(len(targets)), 6)
    ranked = np.argsort(-scores, kind="stable")
    decile = np.empty(len(targets), dtype=int)
    decile[ranked] = np.arange(len(targets)) * 10 // len(targets) + 1
    sent = "2024-06-20"
    zh_rows = []
    for customer, score, d in zip(targets, scores, decile):
        group = "实验组" if rng.random() < 0.8 else "对照组"
        tier = "高价值" if d <= 3 else "普通"
        zh_rows.append([customer, f"{score:.6f}", str(d), tier, "夏季促销", group, sent, "短信",
                        "0.08"])
        if group == "实验组" and rng.random() < 0.25 * score:
            day = send_day(sent) + int(rng.integers(0, 21))
            orders.append((day, customer, round(float(rng.lognormal(3.4, 0.5)), 2)))
    with open(os.path.join(args.out, "campaign_targets_zh.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["客户ID", "得分", "十分位", "层级", "活动", "组别", "发送时间", "渠道", "成本"])
        writer.writerows(zh_rows)

    orders.sort()
    with open(os.path.join(args.out, "campaign_orders.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["InvoiceNo", "InvoiceDate", "CustomerID", "Amount"])
        for n, (day, customer, amount) in enumerate(orders, start=1):
            writer.writerow([f"{500000 + n}", day_text(day, rng), customer, f"{amount:.2f}"])
    print(f"campaign fixtures: {len(orders)} order lines, {len(rows)} + 1 contact rows, "
          f"{len(zh_rows)} targets")


if __name__ == "__main__":
    main()
