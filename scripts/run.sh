#!/usr/bin/env bash
# Installs what is missing, builds higgsuq and runs the main job (README's first command).
# Until `higgsuq run` (simulate -> train -> ingest -> score -> report) lands, the main job is the
# spine on the official 1,000-event FAIR sample: import to HDF5, systematics at a nuisance point,
# and one neurips2024 pseudo-experiment drawn from it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)" --target higgsuq_cli

out=${HIGGSUQ_RUN_DIR:-higgsuq-run}
mkdir -p "$out"
sample=../shared/data/fair-universe-sample/FAIR_Universe_HiggsML_data.csv
bin=build/bin/higgsuq
if "$bin" run --help >/dev/null 2>&1; then
  exec "$bin" run --out "$out" "$@"
fi
"$bin" import "$sample" --out "$out/fair_sample.h5"
"$bin" systematics "$out/fair_sample.h5" --tes 1.02 --jes 0.98 --soft-met 3 --seed 31415 --out "$out/shifted.csv"
"$bin" pseudo --pool "$out/fair_sample.h5" --challenge neurips2024 --set 0 --pe 0 --seed 31415 --out "$out/pseudo_experiment.h5"
echo "higgsuq: outputs in $out/"
