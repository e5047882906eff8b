#!/usr/bin/python3
"""Independent pandas / scikit-learn / scipy reference for `custlens profile` (docs/profile.md).

Written from docs/profile.md alone (never from the C++ sources). For every case below it reads
the profile table, applies the contract and writes tests/reference/golden/profile/<case>.json:
    {"command": "profile", "input": <file in tests/data/>, "args": [CLI arguments],
     "expected": {<the profile.* keys of `custlens profile --json`>}}
tests/cli/ compares `custlens profile <input> <args> --json` with it. What is checked:
  * input: rows read / rejected / kept, the rejected file lines with their reason, the roles;
  * rfm: the tie-consistent R/F/M scores and the segments of --scheme (five, cn8 or rfm11,
    taken from rfm_reference.py, the order-line reference);
  * tiers: the five profile tiers from the RFM rules (--tiers rules);
  * tier_category: cells (users, penetration, mean aov, mean monetary, quadrant), top 3 per
    tier, the medians, the cross-category (category x interest) pairs;
  * regions: every per-region field and the four rankings; tier_region: both directions;
  * chi_square: the four tests, scipy.stats.chi2_contingency(table, correction=False);
  * clusters (only where the case asks for it): scikit-learn 1.2 KMeans(n_clusters=k,
    n_init=10, random_state=42) on StandardScaler features for every k of 2..10 (inertia: the
    bound custlens must meet within 0.1 %; silhouette_score), then sklearn's k = 4 labels with
    their silhouette, cluster sizes, centroids and the naming rule applied to them (so that
    custlens' silhouette, centroid and naming code can be checked exactly on the same labels),
    and PCA(n_components=2, svd_solver="full") with the contract's sign convention. In the
    golden, `clusters` holds: features, seed, restarts, elbow (sklearn's inertia and silhouette
    per k), k (sklearn's best k by silhouette), fixed_labels {k: 4, labels, silhouette,
    clusters: [{id, tier, size, share, centroid, centroid_z}]} and pca {explained_variance_ratio,
    loadings, step, points_head (the first 10 rows' coordinates)}. svd_solver="full" because
    sklearn's "auto" picks the randomized solver for 1,000 x 6 and that is not the contract's SVD.

How it reads the contract where it leaves room (each point is written into docs/profile.md):
  * CSV as docs/csv.md: blank lines skipped, line numbers are physical file lines (header = 1),
    a row with the wrong field count is `malformed`. The blank first header is `column_1`.
  * Roles: for each role (table order) the first column whose name, lower-cased without spaces,
    `_` and `-`, equals an alias so normalised.
  * A number is a plain decimal after trimming (`-3`, `2.5`, `1e3`); anything else, or empty, is
    not. A row is rejected with the first failing reason of: `malformed`, `missing_customer`
    (customer empty after trimming), `bad_number:recency`, `bad_number:frequency`,
    `bad_number:monetary`, then `bad_number:<role>` for the other K-Means features in --features
    order. Other numeric roles (age, income, ...) that are not numbers are missing and left out
    of their means. Text values are trimmed; empty is the level `(missing)`.
  * Every kept row is one customer (ids are not merged). M scores rank monetary rounded half away
    from zero to 1e-6, as for order lines.
  * Levels and names sort by code point (= UTF-8 byte order). Lift is computed from integer
    counts, (n(t,c,i) n(t)) / (n(t,c) n(t,i)), so that `lift > 1` and lift ties are exact.
  * Naming ties (equal means) go to the lower cluster id. A chi-square table with one row or one
    column has statistic 0, dof 0, p 1, Cramer's V 0.
  * Floats are written unrounded (Python's shortest repr); regenerating gives identical files
    (KMeans and BLAS run on one thread).

Run from anywhere: /usr/bin/python3 tests/reference/profile_reference.py [--out DIR]
"""
import argparse
import csv
import json
import math
import pathlib
import sys

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from rfm_reference import (  # noqa: E402
    NUMBER_RE,
    OUTLIER_EXAMPLES,
    assign_segments,
    describe_outliers,
    quintile_score,
    round_half_away,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "reference" / "golden" / "profile"

CASES = [
    # (case, input, CLI arguments, with the K-Means / PCA part)
    ("user_personalized_features", "user_personalized_features.csv",
     ["--tiers", "rules", "--scheme", "five"], True),
    ("profiles_zh", "profiles_zh.csv", ["--tiers", "rules", "--scheme", "cn8"], False),
]

# docs/profile.md, "Columns (roles)", in table order.
ROLE_ALIASES = {
    "customer": ["User_ID", "user_id", "CustomerID", "customer_id", "user", "用户",
                 "用户ID", "客户ID", "会员ID"],
    "recency": ["Last_Login_Days_Ago", "recency", "days_since_last_purchase", "last_login_days",
                "最近登录天数", "最近一次消费天数", "最近购买天数", "距上次消费天数"],
    "frequency": ["Purchase_Frequency", "frequency", "purchase_count", "orders",
                  "购买频率", "购买次数", "消费频次"],
    "monetary": ["Total_Spending", "total_spend", "monetary", "total_amount",
                 "总消费金额", "消费总额", "累计消费金额"],
    "aov": ["Average_Order_Value", "aov", "avg_order_value", "平均订单金额", "客单价", "平均客单价"],
    "region": ["Location", "region", "area", "city_tier", "所在地区", "地区", "区域"],
    "category": ["Product_Category_Preference", "preferred_category", "category",
                 "偏好产品类别", "偏好品类", "商品类别"],
    "gender": ["Gender", "sex", "性别"],
    "age": ["Age", "年龄"],
    "income": ["Income", "收入"],
    "interest": ["Interests", "interest", "兴趣", "兴趣爱好"],
    "time_on_site": ["Time_Spent_on_Site_Minutes", "time_on_site", "session_minutes",
                     "在线时长", "网站停留时长", "停留时长"],
    "pages": ["Pages_Viewed", "page_views", "pages", "浏览页数", "浏览页面数"],
}
TEXT_ROLES = ["region", "category", "gender", "interest"]
NUMBER_ROLES = ["recency", "frequency", "monetary", "aov", "age", "income", "time_on_site",
                "pages"]
REQUIRED_NUMBERS = ["recency", "frequency", "monetary"]
DEFAULT_FEATURES = ["recency", "frequency", "monetary", "aov", "time_on_site", "pages"]
MISSING_LEVEL = "(missing)"

# Profile tiers, in output order: (id, zh, en).
TIERS = [("important", "重要客户", "Important"), ("core", "核心客户", "Core"),
         ("lost", "流失客户", "Lost"), ("potential", "潜力客户", "Potential"),
         ("general", "一般客户", "General")]
TIER_IDS = [t[0] for t in TIERS]

K_RANGE = range(2, 11)
SEED = 42
RESTARTS = 10
FIXED_K = 4
PCA_HEAD = 10
PLOTTED_POINTS = 2000
MAX_REJECTS_LISTED = 100


def num(value):
    value = float(value)
    return value if math.isfinite(value) else None


def normalise(name):
    return "".join(c for c in name.strip().lower() if c not in " \t_-")


def detect_roles(header):
    normalised = [normalise(h) for h in header]
    roles = {}
    for role, aliases in ROLE_ALIASES.items():
        wanted = {normalise(a) for a in aliases}
        for index, name in enumerate(normalised):
            if name in wanted:
                roles[role] = index
                break
    return roles


def parse_number(text):
    text = text.strip()
    return float(text) if NUMBER_RE.match(text) else None


def read_profile(path, feature_option):
    """Returns (header, roles, features present, kept rows, rows_read, [(line, reason)])."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        records, start = [], 1
        for fields in reader:
            if fields:  # blank lines are skipped and not counted
                records.append((start, fields))
            start = reader.line_num + 1
    (_, header), records = records[0], records[1:]
    header = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    roles = detect_roles(header)
    for role in ["customer"] + REQUIRED_NUMBERS:
        if role not in roles:
            raise SystemExit(f"{path}: no {role} column in {header}")
    features = [f for f in feature_option.split(",") if f in roles]
    checked = REQUIRED_NUMBERS + [f for f in features if f not in REQUIRED_NUMBERS]
    rejects, kept = [], {role: [] for role in ["customer", "line"] + TEXT_ROLES + NUMBER_ROLES}
    for line, fields in records:
        if len(fields) != len(header):
            rejects.append((line, "malformed"))
            continue
        customer = fields[roles["customer"]].strip()
        if customer == "":
            rejects.append((line, "missing_customer"))
            continue
        bad = [role for role in checked if parse_number(fields[roles[role]]) is None]
        if bad:
            rejects.append((line, f"bad_number:{bad[0]}"))
            continue
        kept["customer"].append(customer)
        kept["line"].append(line)
        for role in TEXT_ROLES:
            text = fields[roles[role]].strip() if role in roles else ""
            kept[role].append(text if text else MISSING_LEVEL)
        for role in NUMBER_ROLES:
            value = parse_number(fields[roles[role]]) if role in roles else None
            kept[role].append(np.nan if value is None else value)
    frame = pd.DataFrame(kept)
    return header, roles, features, frame, len(records), rejects


# ---------------------------------------------------------------------------------------------
# RFM scores, RFM segments, profile tiers.


def add_scores(df):
    n = len(df)
    recency_beaten = df.recency.rank(method="min", ascending=False) - 1
    frequency_beaten = df.frequency.rank(method="min") - 1
    monetary_beaten = pd.Series(round_half_away(df.monetary, 1e6)).rank(method="min") - 1
    df["r_score"] = quintile_score(recency_beaten, n).to_numpy()
    df["f_score"] = quintile_score(frequency_beaten, n).to_numpy()
    df["m_score"] = quintile_score(monetary_beaten, n).to_numpy()


def rule_tier(r, f, m):
    if m == 5:
        return "important"
    if f >= 4 and m >= 4:
        return "core"
    if r == 1:
        return "lost"
    if r >= 4 and m <= 2:
        return "potential"
    return "general"


def rfm_section(df, scheme):
    table = pd.DataFrame({"recency_days": df.recency, "frequency": df.frequency,
                          "monetary": df.monetary, "r_score": df.r_score,
                          "f_score": df.f_score, "m_score": df.m_score})
    names, segments = assign_segments(table, scheme)
    df["segment"] = names
    n, total = len(df), float(df.monetary.sum())
    rows = []
    for name, name_zh in segments:
        members = df[df.segment == name]
        count = len(members)
        revenue = float(members.monetary.sum()) if count else 0.0
        rows.append({"name": name, "name_zh": name_zh, "customers": count, "share": count / n,
                     "revenue": revenue, "revenue_share": revenue / total,
                     "mean_recency": num(members.recency.mean()) if count else 0.0,
                     "mean_frequency": num(members.frequency.mean()) if count else 0.0,
                     "mean_monetary": num(members.monetary.mean()) if count else 0.0})
    return {"scheme": scheme, "customers": n, "revenue": total, "segments": rows}


def tiers_section(df):
    n, total = len(df), float(df.monetary.sum())
    rows = []
    for tier_id, zh, en in TIERS:
        members = df[df.tier == tier_id]
        count = len(members)
        revenue = float(members.monetary.sum()) if count else 0.0
        rows.append({"id": tier_id, "name": en, "name_zh": zh, "customers": count,
                     "share": count / n, "revenue": revenue, "revenue_share": revenue / total,
                     "mean_recency": num(members.recency.mean()) if count else 0.0,
                     "mean_frequency": num(members.frequency.mean()) if count else 0.0,
                     "mean_monetary": num(members.monetary.mean()) if count else 0.0,
                     "mean_aov": num(members.aov.mean()) if count else 0.0})
    return {"source": "rules", "counts": rows}


# ---------------------------------------------------------------------------------------------
# Tier x category.


def quadrant(penetration, aov, median_penetration, median_aov):
    high_value, high_penetration = aov >= median_aov, penetration >= median_penetration
    if high_value:
        return "star" if high_penetration else "question"
    return "cash_cow" if high_penetration else "dog"


def tier_category_section(df):
    tiers = [t for t in TIER_IDS if (df.tier == t).any()]
    cells = []
    for tier in tiers:
        members = df[df.tier == tier]
        for category in sorted(members.category.unique()):
            chosen = members[members.category == category]
            cells.append({"tier": tier, "category": category, "users": len(chosen),
                          "penetration": len(chosen) / len(members),
                          "mean_aov": num(chosen.aov.mean()),
                          "mean_monetary": num(chosen.monetary.mean())})
    median_penetration = float(pd.Series([c["penetration"] for c in cells]).median())
    median_aov = float(pd.Series([c["mean_aov"] for c in cells]).median())
    for cell in cells:
        cell["quadrant"] = quadrant(cell["penetration"], cell["mean_aov"], median_penetration,
                                    median_aov)
    top = {}
    for tier in tiers:
        ranked = sorted((c for c in cells if c["tier"] == tier),
                        key=lambda c: (-c["penetration"], -c["users"], c["category"]))
        top[tier] = [c["category"] for c in ranked[:3]]
    cross = []
    for tier in tiers:
        members = df[df.tier == tier]
        n_tier = len(members)
        n_category = members.category.value_counts()
        n_interest = members.interest.value_counts()
        pairs = []
        for (category, interest), users in members.groupby(["category", "interest"]).size().items():
            numerator = int(users) * n_tier
            denominator = int(n_category[category]) * int(n_interest[interest])
            if users >= 5 and numerator > denominator:
                pairs.append({"tier": tier, "category": category, "interest": interest,
                              "users": int(users), "support": int(users) / n_tier,
                              "lift": numerator / denominator})
        pairs.sort(key=lambda p: (-p["lift"], -p["users"], p["category"], p["interest"]))
        cross.extend(pairs[:5])
    return {"cells": cells, "top": top,
            "medians": {"penetration": median_penetration, "mean_aov": median_aov},
            "cross": cross}


# ---------------------------------------------------------------------------------------------
# Regions, tier x region.


def top_level(values):
    counts = values.value_counts()
    best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return best[0], int(best[1]) / len(values)


def regions_section(df):
    counts = df.region.value_counts()
    order = sorted(counts.index, key=lambda r: (-counts[r], r))
    genders = sorted(df.gender.unique())
    n = len(df)
    best = max(df.monetary[df.region == region].mean() for region in order)
    rows = []
    for region in order:
        members = df[df.region == region]
        top_category, top_category_share = top_level(members.category)
        top_interest, top_interest_share = top_level(members.interest)
        rows.append({
            "region": region, "users": len(members), "share": len(members) / n,
            "per_capita_spend": num(members.monetary.mean()),
            "per_capita_spend_ratio": num(members.monetary.mean() / best),
            "mean_frequency": num(members.frequency.mean()),
            "mean_time_on_site": num(members.time_on_site.mean()),
            "mean_pages": num(members.pages.mean()),
            "mean_age": num(members.age.mean()),
            "mean_income": num(members.income.mean()),
            "top_category": top_category, "top_category_share": top_category_share,
            "top_interest": top_interest, "top_interest_share": top_interest_share,
            "gender_split": {g: int((members.gender == g).sum()) / len(members) for g in genders},
        })
    rankings = {}
    for key, field in [("per_capita_spend", "per_capita_spend"),
                       ("frequency", "mean_frequency"), ("time_on_site", "mean_time_on_site"),
                       ("pages", "mean_pages")]:
        ranked = sorted(rows, key=lambda r: (-r[field], r["region"]))
        rankings[key] = [r["region"] for r in ranked]
    return {"regions": rows, "rankings": rankings}, order


def tier_region_section(df, region_order):
    by_region = []
    for region in region_order:
        members = df[df.region == region]
        counts = {t: int((members.tier == t).sum()) for t in TIER_IDS}
        shares = {t: counts[t] / len(members) for t in TIER_IDS}
        by_region.append({"region": region, "users": len(members), "counts": counts,
                          "shares": shares,
                          "high_value_share": shares["core"] + shares["important"],
                          "churn_share": shares["lost"], "potential_share": shares["potential"]})
    by_tier = []
    for tier in TIER_IDS:
        members = df[df.tier == tier]
        if len(members) == 0:
            continue
        counts = {r: int((members.region == r).sum()) for r in region_order}
        by_tier.append({"tier": tier, "users": len(members), "counts": counts,
                        "shares": {r: counts[r] / len(members) for r in region_order}})
    return {"by_region": by_region, "by_tier": by_tier}


# ---------------------------------------------------------------------------------------------
# Chi-square.


def chi_square(df, row_role, row_values):
    table = pd.crosstab(row_values, df.region)  # occurring levels only: no empty row or column
    n = int(table.to_numpy().sum())
    rows, columns = table.shape
    result = {"rows": row_role, "columns": "region", "n": n, "row_levels": rows,
              "column_levels": columns}
    if rows < 2 or columns < 2:
        expected = table.to_numpy(dtype=float)  # E = O when one margin is the whole table
        result.update({"statistic": 0.0, "dof": 0, "p_value": 1.0, "cramers_v": 0.0})
    else:
        statistic, p_value, dof, expected = chi2_contingency(table.to_numpy(), correction=False)
        result.update({"statistic": float(statistic), "dof": int(dof), "p_value": float(p_value),
                       "cramers_v": math.sqrt(statistic / (n * (min(rows, columns) - 1)))})
    result.update({"min_expected": float(expected.min()),
                   "cells_below_5": int((expected < 5).sum()),
                   "significant": result["p_value"] < 0.05})
    return result


def chi_square_section(df):
    return [chi_square(df, "tier", df.tier), chi_square(df, "gender", df.gender),
            chi_square(df, "category", df.category), chi_square(df, "interest", df.interest)]


# ---------------------------------------------------------------------------------------------
# K-Means (scikit-learn) and PCA.


def name_clusters(df, labels, z, features):
    """The naming rule of docs/profile.md on the given labels: {cluster id: tier id}."""
    ids = sorted(set(int(label) for label in labels))
    mean_monetary = {c: df.monetary[labels == c].mean() for c in ids}
    mean_recency = {c: df.recency[labels == c].mean() for c in ids}
    zf = z[:, features.index("frequency")]
    zm = z[:, features.index("monetary")]
    core_score = {c: zf[labels == c].mean() + zm[labels == c].mean() for c in ids}
    overall_monetary = df.monetary.mean()
    names, rest = {}, list(ids)

    def take(candidates, key, tier):
        if candidates:
            chosen = sorted(candidates, key=lambda c: (key(c), c))[0]
            names[chosen] = tier
            rest.remove(chosen)

    take(rest, lambda c: -mean_monetary[c], "important")
    take(rest, lambda c: -mean_recency[c], "lost")
    take(rest, lambda c: -core_score[c], "core")
    take([c for c in rest if mean_monetary[c] < overall_monetary], lambda c: mean_recency[c],
         "potential")
    for c in rest:
        names[c] = "general"
    return names


def clusters_section(df, features):
    raw = df[features].astype(float).to_numpy()
    z = StandardScaler().fit_transform(raw)
    elbow, fixed = [], None
    for k in K_RANGE:
        if k > len(df) - 1:
            break
        model = KMeans(n_clusters=k, n_init=RESTARTS, random_state=SEED, algorithm="lloyd").fit(z)
        silhouette = float(silhouette_score(z, model.labels_))
        elbow.append({"k": k, "inertia": float(model.inertia_), "silhouette": silhouette})
        if k == FIXED_K:
            fixed = (model.labels_.astype(int), silhouette)
    best = sorted(elbow, key=lambda e: (-e["silhouette"], e["k"]))[0]["k"]

    labels, silhouette = fixed
    names = name_clusters(df, labels, z, features)
    clusters = []
    for c in sorted(names):
        members = labels == c
        clusters.append({
            "id": c, "tier": names[c], "size": int(members.sum()),
            "share": int(members.sum()) / len(df),
            "centroid": {f: float(raw[members, i].mean()) for i, f in enumerate(features)},
            "centroid_z": {f: float(z[members, i].mean()) for i, f in enumerate(features)},
        })

    pca = PCA(n_components=2, svd_solver="full").fit(z)
    components = pca.components_.copy()
    signs = np.sign(components[np.arange(2), np.argmax(np.abs(components), axis=1)])
    components *= signs[:, None]
    points = pca.transform(z[:PCA_HEAD]) * signs[None, :]
    return {
        "features": features, "seed": SEED, "restarts": RESTARTS,
        "elbow": elbow, "k": best,
        "fixed_labels": {"k": FIXED_K, "labels": [int(v) for v in labels],
                         "silhouette": silhouette, "clusters": clusters},
        "pca": {"explained_variance_ratio": [float(v) for v in pca.explained_variance_ratio_],
                "loadings": [[float(v) for v in row] for row in components],
                "step": -(-len(df) // PLOTTED_POINTS),
                "points_head": [[float(x), float(y)] for x, y in points]},
    }


# ---------------------------------------------------------------------------------------------


def profile_outliers(df, roles, method="iqr", k=1.5):
    """The outlier step with the default action (flag): every numeric role with a column, in
    role order, over the kept rows (docs/outliers.md)."""
    result = {"method": method, "action": "flag", "rows_dropped": 0, "fields": [], "k": k,
              "quantile": "linear"}
    for role in NUMBER_ROLES:
        if role not in roles:
            continue
        field, lower, upper = describe_outliers(role, "line", df[role], method, k, "flag")
        if field["count"]:
            outside = (df[role] < lower) | (df[role] > upper)
            field["examples"] = [
                {"customer_id": row.customer, "line": int(row.line), "value": float(row[role])}
                for _, row in df[outside].head(OUTLIER_EXAMPLES).iterrows()
            ]
        result["fields"].append(field)
    return result


def run_case(input_name, args, with_clusters):
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiers", default="clusters")
    parser.add_argument("--scheme", default="five")
    parser.add_argument("--features", default=",".join(DEFAULT_FEATURES))
    options = parser.parse_args(args)
    if options.tiers != "rules":
        raise SystemExit("the reference pins --tiers rules only")
    header, roles, features, df, rows_read, rejects = read_profile(DATA / input_name,
                                                                   options.features)
    add_scores(df)
    df["tier"] = [rule_tier(r, f, m) for r, f, m in zip(df.r_score, df.f_score, df.m_score)]
    expected = {
        "input": {"rows_read": rows_read, "rows_rejected": len(rejects),
                  "rows_kept": len(df),
                  "rejects": [{"line": line, "reason": reason}
                              for line, reason in rejects[:MAX_REJECTS_LISTED]],
                  "roles": {role: header[index] for role, index in roles.items()},
                  "outliers": profile_outliers(df, roles)},
        "rfm": rfm_section(df, options.scheme),
        "tiers": tiers_section(df),
    }
    if with_clusters:
        expected["clusters"] = clusters_section(df, features)
    expected["tier_category"] = tier_category_section(df)
    expected["regions"], region_order = regions_section(df)
    expected["tier_region"] = tier_region_section(df, region_order)
    expected["chi_square"] = chi_square_section(df)
    return expected


def summary_line(case, expected):
    regions = ", ".join(f"{r['region']} {r['users']}" for r in expected["regions"]["regions"])
    tiers = ", ".join(f"{t['id']} {t['customers']}" for t in expected["tiers"]["counts"])
    tests = "; ".join(f"{t['rows']}×region χ²={t['statistic']:.4f} dof={t['dof']} "
                      f"p={t['p_value']:.4g}" for t in expected["chi_square"])
    lines = [f"{case}: rows {expected['input']['rows_read']} read, "
             f"{expected['input']['rows_rejected']} rejected "
             f"{[(r['line'], r['reason']) for r in expected['input']['rejects']]}",
             f"  regions: {regions}", f"  tiers: {tiers}", f"  {tests}"]
    if "clusters" in expected:
        c = expected["clusters"]
        lines.append("  k-means (sklearn): " + ", ".join(
            f"k={e['k']} inertia={e['inertia']:.2f} sil={e['silhouette']:.4f}" for e in c["elbow"])
            + f"; best k by silhouette {c['k']}")
        named = [(cl["id"], cl["tier"], cl["size"]) for cl in c["fixed_labels"]["clusters"]]
        lines.append(f"  sklearn k=4 (id, name, size): {named}; silhouette "
                     f"{c['fixed_labels']['silhouette']:.6f}; PCA ratio "
                     f"{c['pca']['explained_variance_ratio']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=GOLDEN)
    parser.add_argument("--quiet", action="store_true", help="no summary on stdout")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    with threadpool_limits(limits=1):
        for case, input_name, args, with_clusters in CASES:
            expected = run_case(input_name, args, with_clusters)
            golden = {"command": "profile", "input": input_name, "args": args,
                      "expected": expected}
            (options.out / f"{case}.json").write_text(
                json.dumps(golden, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            if not options.quiet:
                print(summary_line(case, expected))


if __name__ == "__main__":
    main()
