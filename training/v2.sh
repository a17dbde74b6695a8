#!/usr/bin/env bash
# Verifier v2, end to end (resumable: run it again with the same output folder to continue).
#   bash training/v2.sh            # splits, rewrites, training (nohup it: ~80 min on 2 idle cores)
# Extra arguments are passed on and win (a later --out or --mix for the same source replaces
# the earlier one): training/v3.sh is this recipe with other mixture weights.
# Then, if it beats the shipped model on every dev set (training/eval_dev.py):
#   python training/calibrate_model.py ... && python training/export_model.py ... &&
#   python training/export_onnx.py && python training/fit_decision.py
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f training/splits/train.jsonl ] || python training/data.py
[ -f training/splits/train_gen.jsonl ] || python training/generate.py
exec python training/train_nli.py --out training/runs/v2 --init synth/models/nli-minilm-l6 \
  --extra-train training/splits/train_gen.jsonl --epochs 1 --lr 3e-5 --warmup 0.05 \
  --max-length 128 --eval-every 350 --checkpoint-every 100 --dev-limit 800 \
  --mix gen_number=0.4 --mix gen_antonym=0.35 --mix gen_swap=0.35 --mix gen_truncate=0.3 \
  --mix gen_drop_clause=0.3 --mix gen_paraphrase=0.25 --mix gen_added_clause=0.3 \
  --mix gen_copy=0.5 --mix gen_negation=0.35 --mix gen_unit=0.8 --mix gen_scale=2 \
  --mix gen_our_model=2 --mix gen_other_paper=0.5 --mix lingnli=0.18 --mix conjnli=0.12 \
  --mix cad=0.25 --mix taxinli=0.15 --mix snli=0.15 --mix mpe=0.05 --mix sick=0.1 \
  --mix fever=0.05 --mix add_one_rte=0.05 --mix rte=0.15 --mix covidfact=0.3 \
  --mix climate_fever=0.3 --mix scifact=1.2 --mix healthver=1.2 --mix cb=0.5 --mix fracas=0.5 \
  --mix scifact_rte=0.6 "$@"
