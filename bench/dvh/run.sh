#!/usr/bin/env bash
# DVH benchmark: oncourse (release) vs dicompyler-core 0.5.6 (PyPI) vs plastimatch (Debian) on
# every structure of the dicompyler-core example plan, in one run; prints times, ratios and
# each tool's agreement with the planning system's own DVHs. Not part of CI.
#
#   bash bench/dvh/run.sh            (needs: python3-venv; apt-get install plastimatch)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${DVH_BENCH_VENV:-target/bench-dvh-venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q dicompyler-core==0.5.6 'pydicom<3'
fi
command -v plastimatch >/dev/null || echo "plastimatch not found (apt-get install plastimatch): skipped" >&2
cargo build --release -q -p oncourse-cli
"$VENV/bin/python" bench/dvh/compare.py target/release/oncourse tests/data/dicompyler-example
