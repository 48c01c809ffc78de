"""scikit-learn on the very same files as bench/train.ts (a comparison tool, not a project dependency).

Usage: python3 bench/sklearn_compare.py rf:100|rf:50|hgb DATA_DIR   -> one JSON line on stdout.
"""
import json
import resource
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

model, d = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{d}/meta.json"))
p = len(meta["names"])
Xtr = np.fromfile(f"{d}/train-X.f32", dtype=np.float32).reshape(-1, p)
ytr = np.fromfile(f"{d}/train-y.f64", dtype=np.float64)
Xte = np.fromfile(f"{d}/test-X.f32", dtype=np.float32).reshape(-1, p)
yte = np.fromfile(f"{d}/test-y.f64", dtype=np.float64)

if model.startswith("rf:"):
    trees = int(model[3:])
    est = RandomForestRegressor(n_estimators=trees, max_depth=20, n_jobs=-1, random_state=1)
    name, depth = "rf", 20
else:
    cat = [k == "categorical" for k in meta["kinds"]]
    est = HistGradientBoostingRegressor(categorical_features=cat, random_state=1)
    name, trees, depth = "hgb", None, None

t0 = time.perf_counter()
est.fit(Xtr, ytr)
train_s = time.perf_counter() - t0
t0 = time.perf_counter()
pred = est.predict(Xte)
predict_s = time.perf_counter() - t0
if name == "hgb":
    trees = int(est.n_iter_)
print(json.dumps({
    "system": "scikit-learn", "model": name, "trees": trees, "max_depth": depth,
    "train_rows": int(len(ytr)), "test_rows": int(len(yte)), "train_s": round(train_s, 2), "predict_s": round(predict_s, 3),
    "rmse": round(float(np.sqrt(mean_squared_error(yte, pred))), 3), "mae": round(float(mean_absolute_error(yte, pred)), 3),
    "r2": round(float(r2_score(yte, pred)), 4), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
