"""Export the survival test datasets to CSV and write lifelines reference outputs.

Run from this folder with lifelines 0.30 and scikit-survival installed:
    python make_reference_lifelines.py
Writes rossi.csv, waltons.csv, veterans.csv and reference_lifelines.json.
"""
import json

import lifelines
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.statistics import logrank_test, multivariate_logrank_test
from sksurv.datasets import load_veterans_lung_cancer
import sksurv


def export_datasets():
    load_rossi().to_csv("rossi.csv", index=False)
    load_waltons().to_csv("waltons.csv", index=False)
    x, y = load_veterans_lung_cancer()
    vet = pd.DataFrame(
        {
            "time": y["Survival_in_days"],
            "status": y["Status"].astype(int),
            "trt": (x["Treatment"] == "test").astype(int),
            "celltype": x["Celltype"].astype(str),
            "karno": x["Karnofsky_score"],
            "diagtime": x["Months_from_Diagnosis"],
            "age": x["Age_in_years"],
            "prior": (x["Prior_therapy"] == "yes").astype(int),
        }
    )
    vet.to_csv("veterans.csv", index=False, float_format="%.10g")


def km(df, time, event, at):
    f = KaplanMeierFitter().fit(df[time], df[event])
    table = f.event_table
    ci = f.confidence_interval_survival_function_
    sf = f.survival_function_
    lo_col, hi_col = ci.columns
    median_ci = lifelines.utils.median_survival_times(ci)
    return {
        "times": [float(t) for t in table.index],
        "n_at_risk": [int(v) for v in table["at_risk"]],
        "n_events": [int(v) for v in table["observed"]],
        "survival": [float(v) for v in sf.iloc[:, 0]],
        "lower": [float(v) for v in ci[lo_col]],
        "upper": [float(v) for v in ci[hi_col]],
        "median": float(f.median_survival_time_),
        "median_ci": [float(median_ci.iloc[0, 0]), float(median_ci.iloc[0, 1])],
        "at": [
            {
                "t": float(t),
                "s": float(f.survival_function_at_times(t).iloc[0]),
            }
            for t in at
        ],
    }


def cox(df, time, event, covariates):
    # A tight precision: the default (1e-7) stops short of the optimum in the fifth digit.
    f = CoxPHFitter().fit(
        df[[time, event] + covariates], time, event, fit_options={"precision": 1e-12}
    )
    s = f.summary
    return {
        "covariates": covariates,
        "coef": [float(s.loc[c, "coef"]) for c in covariates],
        "se": [float(s.loc[c, "se(coef)"]) for c in covariates],
        "hr": [float(s.loc[c, "exp(coef)"]) for c in covariates],
        "hr_lower": [float(s.loc[c, "exp(coef) lower 95%"]) for c in covariates],
        "hr_upper": [float(s.loc[c, "exp(coef) upper 95%"]) for c in covariates],
        "p": [float(s.loc[c, "p"]) for c in covariates],
        "log_likelihood": float(f.log_likelihood_),
        "lr_statistic": float(f.log_likelihood_ratio_test().test_statistic),
        "concordance": float(f.concordance_index_),
    }


def finite_or_none(value):
    """JSON has no infinity: lifelines' "never reached" (inf) becomes null."""
    if isinstance(value, dict):
        return {k: finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite_or_none(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def main():
    export_datasets()
    rossi = pd.read_csv("rossi.csv")
    waltons = pd.read_csv("waltons.csv")
    vet = pd.read_csv("veterans.csv")
    out = {"lifelines_version": lifelines.__version__, "sksurv_version": sksurv.__version__}
    out["km"] = {
        "rossi": km(rossi, "week", "arrest", [10, 20, 30, 52]),
        "waltons_control": km(waltons[waltons.group == "control"], "T", "E", [20, 40, 60]),
        "waltons_mir137": km(waltons[waltons.group == "miR-137"], "T", "E", [20, 40, 60]),
        "veterans": km(vet, "time", "status", [30, 100, 365]),
    }
    lr = {}
    r = logrank_test(
        waltons["T"][waltons.group == "control"], waltons["T"][waltons.group == "miR-137"],
        waltons["E"][waltons.group == "control"], waltons["E"][waltons.group == "miR-137"],
    )
    lr["waltons_group"] = {"statistic": float(r.test_statistic), "df": 1, "p": float(r.p_value)}
    r = multivariate_logrank_test(rossi.week, rossi.fin, rossi.arrest)
    lr["rossi_fin"] = {"statistic": float(r.test_statistic), "df": 1, "p": float(r.p_value)}
    r = multivariate_logrank_test(vet.time, vet.celltype, vet.status)
    lr["veterans_celltype"] = {"statistic": float(r.test_statistic), "df": 3, "p": float(r.p_value)}
    out["logrank"] = lr
    out["cox_efron"] = {
        "rossi": cox(rossi, "week", "arrest", ["fin", "age", "race", "wexp", "mar", "paro", "prio"]),
        "veterans": cox(vet, "time", "status", ["trt", "karno", "diagtime", "age", "prior"]),
    }
    with open("reference_lifelines.json", "w") as fh:
        json.dump(finite_or_none(out), fh, indent=1)


if __name__ == "__main__":
    main()
