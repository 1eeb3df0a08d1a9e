"""Synthetic cohort for the survival benchmark: n subjects, 5 covariates, exponential
event times with a known log-hazard, uniform censoring, times rounded up to whole days
(so that ties occur and Efron matters). Deterministic (seed 2026).

    python generate.py N OUT.csv
"""
import sys

import numpy as np


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = np.random.default_rng(2026)
    x = np.column_stack(
        [
            rng.normal(size=n),
            rng.normal(size=n),
            rng.integers(0, 2, size=n),
            rng.normal(size=n),
            rng.integers(0, 2, size=n),
        ]
    ).astype(float)
    beta = np.array([0.5, -0.3, 0.2, 0.0, 0.4])
    event_time = rng.exponential(scale=1.0 / (0.01 * np.exp(x @ beta)))
    censor_time = rng.uniform(0.0, 200.0, size=n)
    time = np.ceil(np.minimum(event_time, censor_time))
    event = (event_time <= censor_time).astype(int)
    header = "time,event,group,x1,x2,x3,x4,x5"
    table = np.column_stack([time, event, x[:, 4], x])
    np.savetxt(out, table, delimiter=",", header=header, comments="", fmt=["%d", "%d", "%d", "%.6f", "%.6f", "%d", "%.6f", "%d"])


if __name__ == "__main__":
    main()
