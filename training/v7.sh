#!/usr/bin/env bash
# Diagnostic, not a candidate: continue the shipped model on nothing but its own second-stage
# mixture (model card: same sources and factors, class-weighted, max length 256), at v5's
# learning rate, for 300 steps with evaluations at 150 and 300. If the claim-verification dev
# sets still fall, the falls of v2-v6 come from continuing a checkpoint selected at its peak on
# these dev splits, not from the new data.
#   nohup bash training/v7.sh > training/runs/v7.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
exec python training/train_nli.py --out training/runs/v7 --init synth/models/nli-minilm-l6 \
  --epochs 1 --lr 1e-5 --warmup 0.05 --max-length 256 --eval-every 150 --checkpoint-every 50 \
  --max-steps 300 --dev-limit 800 --class-weights \
  --mix scifact=3 --mix healthver=3 --mix scifact_rte=2 --mix climate_fever=0.7 \
  --mix covidfact=0.7 --mix snli=0.5 --mix mpe=0.3 --mix sick=0.5 --mix fever=0.2 --mix rte=0.5 \
  --mix add_one_rte=0.2 --mix lingnli=0 --mix conjnli=0 --mix taxinli=0 --mix cad=0 "$@"
