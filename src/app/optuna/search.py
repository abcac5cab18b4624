#!/usr/bin/env python3
"""
An Orpheus study, continued with Optuna (>= 3.1) and scikit-learn (>= 1.2).

Orpheus wrote this file, with study.json (the study: its space, sampler, metric, the trials
the browser ran) and data.csv (the data version, and each row's cross-validation fold in the
column that study.json names) beside it. Each trial here trains the scikit-learn estimator
that corresponds to the Orpheus family with the same settings and preprocessing, scores it on
the same folds as Orpheus did, and returns the same metric. The mapping of every Orpheus
setting to its scikit-learn name is in SKLEARN_NAMES below; a family scikit-learn cannot
reproduce is left out, with the reason printed, rather than guessed.

    python search.py --storage journal.log --trials 200          one worker
    python search.py --storage journal.log --trials 200 &        as many workers as you like,
    python search.py --storage journal.log --trials 200 &        on one machine or on many that
                                                                 share the disk of journal.log
    python search.py --storage postgresql://user:pw@host/db --trials 200
    python search.py --check                  each family's defaults, scored on the folds
    python search.py --score '{"family": "decision-tree", "maxDepth": 3}'

--trials N: the study stops once Optuna has run N trials beyond the browser's, over every
worker (each running worker finishes its trial, so one or two more may end); to go on later,
run again with a larger N. The first worker to start adds the browser's trials to the Optuna
study, so the sampler continues from what the browser learned; the others wait for it. Bring the journal file back to Orpheus: Search, "Import an Optuna study".
"""
import argparse
import json
import math
import os
import sys
import time
import unicodedata
import warnings

import numpy as np
import optuna
import sklearn

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "study.json"), encoding="utf-8") as f:
    SPEC = json.load(f)
STUDY = SPEC["study"]
TASK = SPEC["task"]
SEED = STUDY["seed"]
FAMILY_PARAM = "family"
ANY_FAMILY = "any"

# ---- every Orpheus setting and its scikit-learn name, per family

# Random forests and extra trees take the same settings.
FOREST_NAMES = {
    "_estimator": "RandomForestClassifier / RandomForestRegressor",
    "nTrees": "n_estimators",
    "bootstrap": "bootstrap (yes: True, no: False)",
    "maxFeatures": "max_features (all: None; 0.3: 0.3 …)",
    "criterion": "criterion",
    "maxDepth": "max_depth",
    "minSamplesSplit": "min_samples_split",
    "minSamplesLeaf": "min_samples_leaf",
    "minImpurityDecrease": "min_impurity_decrease",
    "classWeight": "class_weight",
}

SKLEARN_NAMES = {
    "decision-tree": {
        "_estimator": "DecisionTreeClassifier / DecisionTreeRegressor",
        "criterion": "criterion",
        "maxDepth": "max_depth (null: None)",
        "minSamplesSplit": "min_samples_split",
        "minSamplesLeaf": "min_samples_leaf",
        "minImpurityDecrease": "min_impurity_decrease",
        "maxFeatures": "max_features (all: None)",
        "classWeight": "class_weight (none: None)",
    },
    "random-forest": FOREST_NAMES,
    "extra-trees": {**FOREST_NAMES, "_estimator": "ExtraTreesClassifier / ExtraTreesRegressor"},
    "gradient-boosting": {
        "_estimator": "HistGradientBoostingClassifier / HistGradientBoostingRegressor",
        "rounds": "max_iter",
        "learningRate": "learning_rate",
        "maxLeaves": "max_leaf_nodes",
        "maxDepth": "max_depth",
        "minSamplesLeaf": "min_samples_leaf",
        "l2": "l2_regularization",
        "earlyStopping": "early_stopping (auto, yes: True, no: False)",
        "validationFraction": "validation_fraction",
        "patience": "n_iter_no_change",
        "subsample": "none in scikit-learn: only 1 (every row) can be reproduced",
        "featureFraction": "max_features from scikit-learn 1.4; before it, only 1",
    },
    "logistic-regression": {
        "_estimator": "LogisticRegression (lbfgs for L2, saga for L1) after the preprocessing",
        "C": "C",
        "penalty": "penalty",
        "classWeight": "class_weight",
        "maxIterations": "max_iter",
    },
    "linear-regression": {
        "_estimator": "Ridge (LinearRegression when alpha is 0) after the preprocessing",
        "alpha": "alpha",
    },
    "linear-svm": {
        "_estimator": "LinearSVC after the preprocessing",
        "C": "C",
        "loss": "loss",
        "maxIterations": "max_iter",
    },
    "naive-bayes": {
        "_estimator": "GaussianNB (numbers only) or CategoricalNB (categories only); "
        "scikit-learn has no naive Bayes for both at once",
        "varSmoothing": "var_smoothing",
        "alpha": "alpha",
    },
    "k-nearest-neighbours": {
        "_estimator": "KNeighborsClassifier / KNeighborsRegressor (brute force) after the preprocessing",
        "k": "n_neighbors (at most the training rows)",
        "weights": "weights",
        "metric": "metric",
    },
    "baseline": {
        "_estimator": "DummyClassifier / DummyRegressor",
        "strategy": "strategy",
    },
}
# The preprocessing settings of the linear models, nearest neighbours and naive Bayes.
PIPELINE_NAMES = {
    "impute": "SimpleImputer(strategy); categories as codes: most_frequent",
    "fillValue": "SimpleImputer(fill_value) with strategy constant",
    "indicator": "MissingIndicator(features='missing-only') beside the columns (yes)",
    "oneHot": "OneHotEncoder(handle_unknown='ignore') on categories (yes), or their codes (no)",
    "scale": "StandardScaler on the value columns (standard)",
}


def sklearn_version():
    return tuple(int(p) for p in sklearn.__version__.split(".")[:2] if p.isdigit())


# ---- the data, encoded as Orpheus encodes it


def fold_variant(s):
    s = unicodedata.normalize("NFD", s.strip())
    return "".join(c for c in s if not unicodedata.category(c).startswith("M")).lower()


def code_of(labels, raw, merge):
    if raw in labels:
        return labels[raw]
    if merge:
        return labels.get(("~", fold_variant(raw)), -1)
    return -1


def label_index(values, merge):
    out = {v: i for i, v in enumerate(values)}
    if merge:
        for i, v in enumerate(values):
            out.setdefault(("~", fold_variant(v)), i)
    return out


def load_data():
    import csv

    d = SPEC["data"]
    with open(os.path.join(HERE, d["file"]), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    at = {name: i for i, name in enumerate(header)}
    feats = d["features"]
    fold_col = at[d["foldColumn"]]
    keep = [r for r in body if r[fold_col] != ""]
    x = np.full((len(keep), len(feats)), np.nan)
    for j, fe in enumerate(feats):
        c = at[fe["name"]]
        if fe["kind"] == "numeric":
            for i, r in enumerate(keep):
                if r[c] != "":
                    x[i, j] = float(r[c])
        else:
            labels = label_index(fe["categories"], fe.get("mergeVariants", False))
            for i, r in enumerate(keep):
                if r[c] != "":
                    k = code_of(labels, r[c], fe.get("mergeVariants", False))
                    if k >= 0:
                        x[i, j] = k
    t = at[d["target"]]
    if TASK == "classification":
        labels = label_index(d["classes"], d.get("mergeClassVariants", False))
        y = np.array([code_of(labels, r[t], d.get("mergeClassVariants", False)) for r in keep])
    else:
        y = np.array([float(r[t]) for r in keep])
    fold = [r[fold_col] for r in keep]
    k = STUDY["evaluation"]["folds"]
    train = np.array([i for i, v in enumerate(fold) if v != "test"])
    folds = []
    for f in range(k):
        test = np.array([i for i, v in enumerate(fold) if v == str(f)])
        folds.append((np.array([i for i in train if fold[i] != str(f)]), test))
    return x, y, folds


X, Y, FOLDS = load_data()
CLASSES = len(SPEC["data"]["classes"] or [])
FEATURES = SPEC["data"]["features"]
HAS_MISSING = bool(np.isnan(X).any())
KINDS = {f["kind"] for f in FEATURES}
# Each fold's training rows in a seeded order: a rung of successive halving trains on a prefix.
ORDER = [np.random.RandomState(SEED + k).permutation(tr) for k, (tr, _) in enumerate(FOLDS)]

# ---- what scikit-learn can reproduce


class LeftOut(Exception):
    """A family (or setting) scikit-learn cannot reproduce: said, never guessed."""


def space_of(family):
    if STUDY["family"] != ANY_FAMILY:
        return SPEC["space"] if family == STUDY["family"] else {}
    prefix = family + "."
    return {n[len(prefix) :]: d for n, d in SPEC["space"].items() if n.startswith(prefix)}


def left_out_reason(family):
    """Why scikit-learn cannot train this family as Orpheus does here, or None."""
    v = sklearn_version()
    if family not in SKLEARN_NAMES:
        return "Orpheus family unknown to this script"
    if HAS_MISSING:
        need = {"decision-tree": (1, 3), "random-forest": (1, 4), "extra-trees": (1, 6)}.get(family)
        if need and v < need:
            return (
                "the data has missing values, which scikit-learn's %s takes only from version %d.%d"
                " (this is %s)" % (family, need[0], need[1], sklearn.__version__)
            )
    if family == "gradient-boosting":
        d = SPEC["defaults"].get(family, {})
        s = space_of(family)
        for name, since in (("subsample", None), ("featureFraction", (1, 4))):
            fixed = d.get(name, 1) == 1 and name not in s
            if not fixed and (since is None or v < since):
                return "it draws %s below 1, which this scikit-learn has no setting for" % name
    if family == "naive-bayes" and KINDS == {"numeric", "categorical"}:
        return "scikit-learn has no naive Bayes for numbers and categories together"
    return None


# ---- estimators


def none_if(value, *nones):
    return None if value in nones else value


def max_features(v):
    if v == "all":
        return None
    if v in ("sqrt", "log2"):
        return v
    return float(v)


def trees_kwargs(p):
    kw = dict(
        criterion=p["criterion"],
        max_depth=none_if(p["maxDepth"], None),
        min_samples_split=int(p["minSamplesSplit"]),
        min_samples_leaf=int(p["minSamplesLeaf"]),
        min_impurity_decrease=float(p["minImpurityDecrease"]),
        max_features=max_features(p["maxFeatures"]),
        random_state=SEED,
    )
    if TASK == "classification":
        kw["class_weight"] = none_if(p["classWeight"], "none")
    return kw


def preprocessing(p):
    """Orpheus's pipeline: imputed (and scaled) value columns, missing-value columns, one-hot."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import MissingIndicator, SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    one_hot = p.get("oneHot", "no") == "yes"
    scale = p.get("scale", "none") == "standard"
    impute = p.get("impute", "mean")
    numeric = [j for j, f in enumerate(FEATURES) if f["kind"] == "numeric"]
    codes = [j for j, f in enumerate(FEATURES) if f["kind"] == "categorical" and not one_hot]
    hot = [j for j, f in enumerate(FEATURES) if f["kind"] == "categorical" and one_hot]
    extra = {"keep_empty_features": True} if sklearn_version() >= (1, 2) else {}

    def values(strategy):
        kw = dict(strategy=strategy, **extra)
        if strategy == "constant":
            kw["fill_value"] = float(p.get("fillValue", 0))
        steps = [SimpleImputer(**kw)]
        if scale:
            steps.append(StandardScaler())
        return make_pipeline(*steps)

    parts = []
    if numeric:
        parts.append(("numbers", values(impute), numeric))
    if codes:
        parts.append(("codes", values("most_frequent"), codes))
    if p.get("indicator", "no") == "yes":
        parts.append(
            ("missing", MissingIndicator(features="missing-only", error_on_new=False), list(range(len(FEATURES))))
        )
    if hot:
        cats = [list(range(len(FEATURES[j]["categories"]))) for j in hot]
        sparse = "sparse_output" if sklearn_version() >= (1, 2) else "sparse"
        enc = OneHotEncoder(categories=cats, handle_unknown="ignore", **{sparse: False})
        # A missing category is all zeros: it becomes a code no category has.
        parts.append(("one-hot", make_pipeline(SimpleImputer(strategy="constant", fill_value=-1), enc), hot))
    return ColumnTransformer(parts, remainder="drop", sparse_threshold=0)


def estimator(family, p, n_rows, stands_for=None):
    """The scikit-learn estimator of an Orpheus family with these settings. A rung's fit on a
    share of a fold's rows stands for all of them (stands_for): automatic early stopping is
    decided by the fold's size, as Orpheus decides it, so every rung trains the same model."""
    reason = left_out_reason(family)
    if reason:
        raise LeftOut("%s is left out: %s." % (family, reason))
    from sklearn.pipeline import make_pipeline

    cls = TASK == "classification"
    if family == "decision-tree":
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

        return (DecisionTreeClassifier if cls else DecisionTreeRegressor)(**trees_kwargs(p))
    if family in ("random-forest", "extra-trees"):
        from sklearn import ensemble

        name = ("RandomForest" if family == "random-forest" else "ExtraTrees") + (
            "Classifier" if cls else "Regressor"
        )
        return getattr(ensemble, name)(
            n_estimators=int(p["nTrees"]), bootstrap=p["bootstrap"] == "yes", n_jobs=1, **trees_kwargs(p)
        )
    if family == "gradient-boosting":
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        kw = dict(
            max_iter=int(p["rounds"]),
            learning_rate=float(p["learningRate"]),
            max_leaf_nodes=int(p["maxLeaves"]),
            max_depth=none_if(p["maxDepth"], None),
            min_samples_leaf=int(p["minSamplesLeaf"]),
            l2_regularization=float(p["l2"]),
            early_stopping={"auto": (stands_for or n_rows) > 10_000, "yes": True, "no": False}[p["earlyStopping"]],
            validation_fraction=float(p["validationFraction"]),
            n_iter_no_change=int(p["patience"]),
            random_state=SEED,
        )
        if float(p.get("featureFraction", 1)) != 1:
            kw["max_features"] = float(p["featureFraction"])
        return (HistGradientBoostingClassifier if cls else HistGradientBoostingRegressor)(**kw)
    if family == "logistic-regression":
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(
            C=float(p["C"]),
            penalty=p["penalty"],
            solver="lbfgs" if p["penalty"] == "l2" else "saga",
            class_weight=none_if(p["classWeight"], "none"),
            max_iter=int(p["maxIterations"]),
        )
        return make_pipeline(preprocessing(p), model)
    if family == "linear-regression":
        from sklearn.linear_model import LinearRegression, Ridge

        alpha = float(p["alpha"])
        return make_pipeline(preprocessing(p), Ridge(alpha=alpha) if alpha > 0 else LinearRegression())
    if family == "linear-svm":
        from sklearn.svm import LinearSVC

        model = LinearSVC(C=float(p["C"]), loss=p["loss"], max_iter=int(p["maxIterations"]), random_state=SEED)
        return make_pipeline(preprocessing(p), model)
    if family == "naive-bayes":
        from sklearn.naive_bayes import CategoricalNB, GaussianNB

        if KINDS == {"categorical"}:
            mins = [len(f["categories"]) for f in FEATURES]
            return make_pipeline(preprocessing(p), CategoricalNB(alpha=float(p["alpha"]), min_categories=mins))
        return make_pipeline(preprocessing(p), GaussianNB(var_smoothing=float(p["varSmoothing"])))
    if family == "k-nearest-neighbours":
        from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

        model = (KNeighborsClassifier if cls else KNeighborsRegressor)(
            n_neighbors=max(1, min(int(p["k"]), n_rows)), weights=p["weights"], metric=p["metric"], algorithm="brute"
        )
        return make_pipeline(preprocessing(p), model)
    if family == "baseline":
        from sklearn.dummy import DummyClassifier, DummyRegressor

        return (DummyClassifier if cls else DummyRegressor)(strategy=p["strategy"])
    raise LeftOut("%s is left out: this script does not know it." % family)


# ---- the metric, as Orpheus measures it


def score(model, x, y):
    from sklearn import metrics

    m = STUDY["metric"]
    if TASK == "regression":
        pred = model.predict(x)
        if m == "r2":
            return metrics.r2_score(y, pred)
        if m == "rmse":
            return math.sqrt(metrics.mean_squared_error(y, pred))
        return metrics.mean_absolute_error(y, pred)
    if m == "log_loss":
        if not hasattr(model, "predict_proba"):
            return float("nan")
        p = np.zeros((len(y), CLASSES))
        p[:, model.classes_.astype(int)] = model.predict_proba(x)
        return metrics.log_loss(y, p, labels=list(range(CLASSES)))
    pred = model.predict(x)
    if m == "accuracy":
        return metrics.accuracy_score(y, pred)
    if m == "balanced_accuracy":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return metrics.balanced_accuracy_score(y, pred)
    return metrics.f1_score(y, pred, average="macro", zero_division=0)


def fold_score(family, p, k, share):
    train, test = FOLDS[k]
    rows = train if share >= 1 else np.sort(ORDER[k][: max(2, math.ceil(len(train) * share))])
    model = estimator(family, p, len(rows), len(train))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[rows], Y[rows])
    return float(score(model, X[test], Y[test]))


def mean_of(values):
    ok = [v for v in values if not math.isnan(v)]
    return sum(ok) / len(ok) if ok else float("nan")


def settings(params):
    """The family a trial trains, and every setting (the study's defaults for the unsearched ones)."""
    if STUDY["family"] == ANY_FAMILY:
        family = params[FAMILY_PARAM]
        own = {n[len(family) + 1 :]: v for n, v in params.items() if n.startswith(family + ".")}
    else:
        family, own = STUDY["family"], dict(params)
    return family, {**SPEC["defaults"].get(family, {}), **own}


# ---- the search


def distribution(d):
    if d["kind"] == "float":
        return optuna.distributions.FloatDistribution(d["low"], d["high"], log=d["log"])
    if d["kind"] == "int":
        step = 1 if d["log"] else int(d["step"])
        return optuna.distributions.IntDistribution(int(d["low"]), int(d["high"]), log=d["log"], step=step)
    return optuna.distributions.CategoricalDistribution(d["choices"])


def searchable_space():
    """The study's space with the families scikit-learn cannot reproduce left out (said once)."""
    space = dict(SPEC["space"])
    if STUDY["family"] != ANY_FAMILY:
        reason = left_out_reason(STUDY["family"])
        if reason:
            sys.exit("This study's family, %s, cannot run here: %s." % (STUDY["family"], reason))
        return space
    keep = []
    for fam in space[FAMILY_PARAM]["choices"]:
        reason = left_out_reason(fam)
        if reason:
            print("Left out: %s (%s)." % (fam, reason), file=sys.stderr)
        else:
            keep.append(fam)
    if not keep:
        sys.exit("scikit-learn can reproduce none of this study's families here.")
    space[FAMILY_PARAM] = {**space[FAMILY_PARAM], "choices": keep}
    return {n: d for n, d in space.items() if n == FAMILY_PARAM or n.split(".")[0] in keep}


SPACE = None  # set in main()
RUNGS = STUDY["halving"]["rungs"]


def suggest(trial):
    params = {}
    for name, d in SPACE.items():
        when = d.get("when")
        if when and params.get(when["param"]) != when["is"]:
            continue
        if d["kind"] == "float":
            params[name] = trial.suggest_float(name, d["low"], d["high"], log=d["log"])
        elif d["kind"] == "int":
            step = 1 if d["log"] else int(d["step"])
            params[name] = trial.suggest_int(name, int(d["low"]), int(d["high"]), step=step, log=d["log"])
        else:
            params[name] = trial.suggest_categorical(name, d["choices"])
    return params


def objective(trial):
    family, p = settings(suggest(trial))
    smallest = RUNGS[0]
    for share in RUNGS[:-1]:
        value = mean_of([fold_score(family, p, k, share) for k in range(len(FOLDS))])
        trial.report(value, round(share / smallest))
        if trial.should_prune():
            raise optuna.TrialPruned()
    folds = [fold_score(family, p, k, RUNGS[-1]) for k in range(len(FOLDS))]
    trial.set_user_attr("orpheus.folds", folds)
    value = mean_of(folds)
    if len(RUNGS) > 1:
        trial.report(value, round(RUNGS[-1] / smallest))
    return value


def sampler():
    seed = SEED + os.getpid()  # workers draw different trials from the same study seed
    kind = STUDY["sampler"]
    conditional = any("when" in d for d in SPACE.values())
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if kind == "grid":
        return optuna.samplers.GridSampler(SPEC["grid"], seed=seed)
    multivariate = kind in ("tpe-multivariate", "bohb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(
            seed=seed, multivariate=multivariate, group=multivariate and conditional, constant_liar=True
        )


def pruner():
    h = STUDY["halving"]
    if len(RUNGS) < 2:
        return optuna.pruners.NopPruner()
    top = round(RUNGS[-1] / RUNGS[0])
    if h.get("hyperband") or STUDY["sampler"] == "bohb":
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=top, reduction_factor=h["eta"])
    return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=h["eta"])


def storage(url):
    if "://" in url:
        return url
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(url))


def browser_trials(space):
    """The browser's trials, as Optuna trials of this space (those of left-out families skipped)."""
    out = []
    state = {"complete": optuna.trial.TrialState.COMPLETE, "pruned": optuna.trial.TrialState.PRUNED}
    for t in SPEC["trials"]:
        if t["state"] not in state or any(n not in space for n in t["params"]):
            continue
        if t["state"] == "complete" and (t["value"] is None or math.isnan(t["value"])):
            continue
        dists = {n: distribution(space[n]) for n in t["params"]}
        if not all(dists[n]._contains(dists[n].to_internal_repr(v)) for n, v in t["params"].items()):
            continue
        steps = {round(s / RUNGS[0]): v for s, v in zip(RUNGS, t["intermediate"]) if v is not None}
        attrs = {"orpheus.trial": t["number"]}
        if t.get("folds"):
            attrs["orpheus.folds"] = t["folds"]
        out.append(
            optuna.trial.create_trial(
                state=state[t["state"]],
                value=t["value"] if t["state"] == "complete" else None,
                params=t["params"],
                distributions=dists,
                user_attrs=attrs,
                intermediate_values=steps,
            )
        )
    return out


def open_study(url, name):
    """Creates the study and adds the browser's trials (the first worker), or joins it (the rest)."""
    direction = STUDY["direction"]
    try:
        study = optuna.create_study(
            storage=storage(url), study_name=name, direction=direction, sampler=sampler(), pruner=pruner()
        )
    except optuna.exceptions.DuplicatedStudyError:
        study = optuna.load_study(storage=storage(url), study_name=name, sampler=sampler(), pruner=pruner())
        for _ in range(600):
            if "orpheus.preloaded" in study.user_attrs:
                return study
            time.sleep(0.1)
        sys.exit("The study exists, but the worker that created it never finished adding the browser's trials.")
    meta = {k: v for k, v in STUDY.items()}
    study.set_user_attr("orpheus.study", meta)
    study.set_user_attr("orpheus.app", SPEC["app"])
    trials = browser_trials(SPACE)
    for t in trials:
        study.add_trial(t)
    # The default settings the Orpheus study starts with and had not run: the first trials here.
    for p in SPEC.get("startWith", []):
        if all(n in SPACE for n in p):
            study.enqueue_trial(p)
    study.set_user_attr("orpheus.preloaded", len(trials))
    print("Added the browser's %d trials to the study." % len(trials), file=sys.stderr)
    return study


def main():
    global SPACE
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--storage", default="journal.log", help="a journal file, or an RDB URL (postgresql://…)")
    ap.add_argument("--trials", type=int, default=100, help="trials beyond the browser's, over every worker")
    ap.add_argument("--timeout", type=float, default=None, help="seconds this worker searches at most")
    ap.add_argument("--study-name", default=SPEC["optunaStudyName"])
    ap.add_argument("--check", action="store_true", help="score each family's defaults on the folds, print JSON")
    ap.add_argument("--score", help="score one configuration (JSON of Orpheus settings), print JSON")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if args.check or args.score:
        if args.score:
            params = json.loads(args.score)
            fam = params.pop(FAMILY_PARAM, STUDY["family"] if STUDY["family"] != ANY_FAMILY else None)
            todo = {fam: {**SPEC["defaults"].get(fam, {}), **params}}
        else:
            todo = dict(SPEC["defaults"])
        out = {}
        for fam, p in todo.items():
            try:
                folds = [fold_score(fam, p, k, 1) for k in range(len(FOLDS))]
                out[fam] = {"value": mean_of(folds), "folds": folds}
            except LeftOut as e:
                out[fam] = {"leftOut": str(e)}
        print(json.dumps(out))
        return
    SPACE = searchable_space()
    if STUDY.get("foldStopping"):
        print("Fold-wise stopping is not in Optuna 3.1: every trial here runs all its folds.", file=sys.stderr)
    study = open_study(args.storage, args.study_name)
    target = study.user_attrs["orpheus.preloaded"] + args.trials
    if len(study.trials) >= target:
        sys.exit("The study already has %d trials beyond the browser's: ask for more with --trials." % args.trials)
    stop = optuna.study.MaxTrialsCallback(target, states=None)
    study.optimize(objective, n_trials=args.trials, timeout=args.timeout, callbacks=[stop], catch=(ValueError,))
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if done:
        print("Best so far: %s = %.6g, %s" % (STUDY["metric"], study.best_value, json.dumps(study.best_params)))


if __name__ == "__main__":
    main()
