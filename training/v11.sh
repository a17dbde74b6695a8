#!/usr/bin/env bash
# Verifier v11: v5's recipe (a gentle continuation of the shipped model: its own second-stage
# mixture at half scale plus a third of rewrites and harder NLI, lr 1e-5, 128 tokens) with the
# shipped model as a frozen teacher: its own sources' rows also pay KL(teacher || student)
# (train_nli.py --teacher; Learning without Forgetting). v5 lost Climate-FEVER (0.512 -> 0.463),
# COVID-Fact (0.589 -> 0.533) and HealthVer (0.430 -> 0.411) by step 150; this run asks whether
# anchoring the model to its own answers keeps those while it learns the rewrites. Compare its
# evaluations with training/results/v5_dev_evals.jsonl step for step. Resumable:
#   nohup bash training/v11.sh >> training/runs/v11.log 2>&1 &    # ~100 min on 2 idle cores
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f training/splits/train.jsonl ] || python training/data.py
[ -f training/splits/train_gen.jsonl ] || python training/generate.py
exec bash training/v5.sh --out training/runs/v11 --teacher synth/models/nli-minilm-l6 \
  --distill 1.0 "$@"
