#!/usr/bin/env bash
# Installs what is missing, builds higgsuq and runs the main job (README's first command):
# `higgsuq run` — simulate a training set and a test pool, train the baseline, ingest 10 x 20
# neurips2024 pseudo-experiments, score them. Extra arguments go to `higgsuq run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)" --target higgsuq_cli

out=${HIGGSUQ_RUN_DIR:-higgsuq-run}
mkdir -p "$out"
exec build/bin/higgsuq run --out "$out" "$@"
