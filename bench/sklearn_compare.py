"""The anchors of bench/train.ts: scikit-learn and XGBoost on the very same files (comparison tools, not project
dependencies: Debian's python3-sklearn and python3-xgboost under /usr/bin/python3).

Usage: python3 bench/sklearn_compare.py MODEL DATA_DIR  -> one JSON line on stdout
       python3 bench/sklearn_compare.py versions        -> {"python": ..., "sklearn": ..., "xgboost": ..., "numpy": ...}

MODEL: rf:N            RandomForestRegressor(n_estimators=N, max_depth=20, n_jobs=-1, random_state=1)
       hgb:N           HistGradientBoostingRegressor(max_iter=N, early_stopping=False): exactly N rounds
       hgb-default     HistGradientBoostingRegressor's defaults (early stopping on above 10K rows)
       xgb:N           XGBoost hist, the settings of hgb:N (see xgb_params)
"""
import json
import platform
import resource
import sys
import time

import numpy as np


def versions():
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for name in ("sklearn", "xgboost"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out


def xgb_params(y_mean):
    """XGBoost's equivalents of HistGradientBoosting's (and ours): 31-leaf trees grown best-first, lr 0.1, 255 bins.

    min_child_weight bounds a child's hessian sum; for squared error every row's hessian is 1, so 20 means "at least
    20 rows in each child", the same as min_samples_leaf=20 (the benchmark checks the smallest leaf's cover).
    reg_lambda=0: HGB's l2_regularization and ours are 0 (XGBoost's default 1 shrinks leaves).
    base_score = the target mean, as HGB and ours start (XGBoost 1.7's default is 0.5).
    """
    return {
        "objective": "reg:squarederror",
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": 31,
        "max_depth": 0,
        "learning_rate": 0.1,
        "max_bin": 255,
        "min_child_weight": 20,
        "reg_lambda": 0.0,
        "base_score": y_mean,
        "seed": 1,
    }


def fit_xgb(rounds, Xtr, ytr, kinds):
    import xgboost as xgb

    # The counter as a category (partition splits, as HGB and ours): XGBoost 1.7's enable_categorical with hist.
    types = ["c" if k == "categorical" else "q" for k in kinds]
    dtrain = xgb.DMatrix(Xtr, label=ytr, feature_types=types, enable_categorical=True, nthread=-1)
    booster = xgb.train(xgb_params(float(ytr.mean())), dtrain, num_boost_round=rounds)
    return booster, types


def leaf_covers(booster):
    covers = []

    def walk(node):
        if "leaf" in node:
            covers.append(node["cover"])
        else:
            for child in node["children"]:
                walk(child)

    for tree in booster.get_dump(with_stats=True, dump_format="json"):
        walk(json.loads(tree))
    return covers


def main():
    if sys.argv[1] == "versions":
        print(json.dumps(versions()))
        return
    model, d = sys.argv[1], sys.argv[2]
    meta = json.load(open(f"{d}/meta.json"))
    p = len(meta["names"])
    Xtr = np.fromfile(f"{d}/train-X.f32", dtype=np.float32).reshape(-1, p)
    ytr = np.fromfile(f"{d}/train-y.f64", dtype=np.float64)
    Xte = np.fromfile(f"{d}/test-X.f32", dtype=np.float32).reshape(-1, p)
    yte = np.fromfile(f"{d}/test-y.f64", dtype=np.float64)
    cat = [k == "categorical" for k in meta["kinds"]]
    extra = {}

    t0 = time.perf_counter()
    if model.startswith("xgb:"):
        import xgboost as xgb

        system, name, depth = "xgboost", "xgb-hist", None
        booster, types = fit_xgb(int(model[4:]), Xtr, ytr, meta["kinds"])
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()  # the test matrix's conversion counts, as in scikit-learn's predict
        dtest = xgb.DMatrix(Xte, feature_types=types, enable_categorical=True, nthread=-1)
        pred = booster.predict(dtest)
        predict_s = time.perf_counter() - t0
        trees = rounds_run = booster.num_boosted_rounds()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        extra["min_leaf_rows"] = int(min(leaf_covers(booster)))
    else:
        from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

        system = "scikit-learn"
        if model.startswith("rf:"):
            est = RandomForestRegressor(n_estimators=int(model[3:]), max_depth=20, n_jobs=-1, random_state=1)
            name, depth = "rf", 20
        elif model.startswith("hgb:"):
            est = HistGradientBoostingRegressor(
                max_iter=int(model[4:]), early_stopping=False, categorical_features=cat, random_state=1
            )
            name, depth = "hgb", None
        elif model == "hgb-default":
            est = HistGradientBoostingRegressor(categorical_features=cat, random_state=1)
            name, depth = "hgb", None
        else:
            raise SystemExit(f"unknown model {model}")
        est.fit(Xtr, ytr)
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pred = est.predict(Xte)
        predict_s = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # HGB: n_iter_ counts the rounds run, early-stopped ones included (they stay in the model).
        trees = rounds_run = int(est.n_iter_) if name == "hgb" else len(est.estimators_)

    rmse = float(np.sqrt(np.mean((yte - pred) ** 2)))
    mae = float(np.mean(np.abs(yte - pred)))
    r2 = 1.0 - float(np.sum((yte - pred) ** 2)) / float(np.sum((yte - yte.mean()) ** 2))
    print(json.dumps({
        "system": system, "model": name, "trees": trees, "rounds_run": rounds_run, "max_depth": depth,
        "train_rows": int(len(ytr)), "test_rows": int(len(yte)), "train_s": round(train_s, 3),
        "predict_s": round(predict_s, 3), "rmse": round(rmse, 3), "mae": round(mae, 3), "r2": round(r2, 4),
        "peak_rss_mb": round(peak / 1024), **extra,
    }))


main()
