"""Prints the benchmark's agreement checks and time ratios for one cohort size.

    python compare.py OUT_DIR N
"""
import json
import os
import sys


def load(out, name, n):
    path = os.path.join(out, f"{name}_{n}.json")
    return json.load(open(path)) if os.path.exists(path) else None


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def main():
    out, n = sys.argv[1], sys.argv[2]
    ours = load(out, "oncourse", n)
    peers = {"lifelines": load(out, "lifelines", n), "R survival": load(out, "r", n)}
    print(f"\n== n = {int(n):,} subjects, 5 covariates (oncourse on {ours['threads']} threads)")
    print(f"{'':<12}{'oncourse s':>12}" + "".join(f"{p + ' s':>16}{'ratio':>8}" for p, v in peers.items() if v))
    for step in ["km", "logrank", "cox"]:
        row = f"{step:<12}{ours[step + '_seconds']:>12.4f}"
        for peer in peers.values():
            if peer:
                row += f"{peer[step + '_seconds']:>16.4f}{peer[step + '_seconds'] / ours[step + '_seconds']:>7.1f}x"
        print(row)
    for name, peer in peers.items():
        if not peer:
            print(f"{name}: not installed, skipped")
            continue
        coef = max(relative(a, b) for a, b in zip(ours["cox_coef"], peer["cox_coef"]))
        print(
            f"agreement with {name}: Cox coef max relative difference {coef:.2e}; "
            f"log-likelihood {relative(ours['cox_log_likelihood'], peer['cox_log_likelihood']):.2e}; "
            f"log-rank {relative(ours['logrank_statistic'], peer['logrank_statistic']):.2e}; "
            f"KM median {ours['km_median']} vs {peer['km_median']}"
        )


if __name__ == "__main__":
    main()
