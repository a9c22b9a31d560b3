#!/bin/bash
# Runs the PyTorch peer over the benchmark matrix, one JSON line per run (stdout).
# Usage: bash bench/peer/run_peer_matrix.sh [extra pytorch_step.py args] > results.jsonl
set -u
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
STEPS=${STEPS:-20}; WARMUP=${WARMUP:-3}
configs=("siren 2 16384" "fourier 2 16384" "hashgrid 2 65536" "hashgrid 3 65536")
for malloc in ${MALLOCS:-glibc thp}; do
  for chunk in ${CHUNKS:-0 4096}; do
    for cfg in "${configs[@]}"; do
      set -- $cfg
      for t in ${THREADS:-1 2}; do
        "$PY" "$here/pytorch_step.py" --model "$1" --dims "$2" --batch "$3" --threads "$t" \
          --steps "$STEPS" --warmup "$WARMUP" --chunk "$chunk" --malloc "$malloc" --json
      done
    done
  done
done
