#!/usr/bin/env bash
# Survival benchmark: oncourse (release build) against lifelines 0.30 and, if installed,
# R survival, on the same synthetic cohorts of 10^5 and 10^6 subjects with 5 covariates, in
# one run. Checks that all tools give the same Cox coefficients, KM median and log-rank
# statistic, and prints the time ratios. Not a test: CI never runs it.
#
#     bash bench/survival/run.sh            # 10^5 and 10^6
#     SIZES="100000" bash bench/survival/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/survival"
venv="$root/bench/.venv"
mkdir -p "$out"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "lifelines==0.30.*" numpy pandas
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p oncourse-bench --bin survival-timing
timing="$root/target/release/survival-timing"

for n in ${SIZES:-100000 1000000}; do
  cohort="$out/cohort_$n.csv"
  [ -f "$cohort" ] || "$venv/bin/python" "$here/generate.py" "$n" "$cohort"
  "$timing" "$cohort" > "$out/oncourse_$n.json"
  "$venv/bin/python" "$here/peer_lifelines.py" "$cohort" > "$out/lifelines_$n.json"
  if command -v Rscript >/dev/null && Rscript -e 'library(survival); library(jsonlite)' >/dev/null 2>&1; then
    Rscript "$here/peer_r.R" "$cohort" > "$out/r_$n.json"
  else
    rm -f "$out/r_$n.json"
  fi
  "$venv/bin/python" "$here/compare.py" "$out" "$n"
done
