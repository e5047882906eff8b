#!/usr/bin/python3
"""The core of `custlens profile` in pandas + scikit-learn + scipy, for bench/profile_vs_sklearn.sh:
read the CSV, z-score the six default features, KMeans(n_init=10) for k = 2..10 with inertia and
silhouette (on a 20,000-row sample above that, as custlens), PCA(2), the region and tier ×
category group-bys and the four chi-square tests. Prints one JSON line: seconds per phase and the
inertia per k (the script checks custlens' inertia against them)."""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

FEATURES = ["Last_Login_Days_Ago", "Purchase_Frequency", "Total_Spending", "Average_Order_Value",
            "Time_Spent_on_Site_Minutes", "Pages_Viewed"]

path = sys.argv[1]
t0 = time.perf_counter()
df = pd.read_csv(path)
t_read = time.perf_counter()
z = StandardScaler().fit_transform(df[FEATURES].to_numpy(float))
inertia = {}
for k in range(2, 11):
    km = KMeans(n_clusters=k, n_init=10, random_state=42).fit(z)
    inertia[k] = float(km.inertia_)
    sample = min(len(z), 20000)
    silhouette_score(z, km.labels_, sample_size=sample if sample < len(z) else None,
                     random_state=42)
t_kmeans = time.perf_counter()
PCA(n_components=2, svd_solver="full").fit_transform(z)
df["tier"] = km.labels_
region = df.groupby("Location").agg(users=("Total_Spending", "size"),
                                    spend=("Total_Spending", "mean"),
                                    freq=("Purchase_Frequency", "mean"))
cells = df.groupby(["tier", "Product_Category_Preference"]).agg(
    users=("Average_Order_Value", "size"), aov=("Average_Order_Value", "mean"))
for rows in ["tier", "Gender", "Product_Category_Preference", "Interests"]:
    chi2_contingency(pd.crosstab(df[rows], df["Location"]), correction=False)
t_rest = time.perf_counter()
print(json.dumps({"read": t_read - t0, "kmeans_silhouette": t_kmeans - t_read,
                  "pca_groups_chi2": t_rest - t_kmeans, "total": t_rest - t0,
                  "inertia": inertia}))
