#!/usr/bin/env bash
# Verifier v8: the shipped recipe's two stages again, from all-MiniLM-L6-v2 itself, with a
# stage 1 about three times larger. v2-v7 all continued the shipped checkpoint and lost the
# claim-verification dev sets by the first evaluation, partly because that checkpoint was
# selected at its peak on those splits (v7). v8 is selected the same way among its own stage-2
# evaluations, so the comparison with the shipped model is like for like.
#   Stage 1: every training pair (137k human-labelled incl. ../shared/data/nli_more, plus the
#            30k rewrites of training/generate.py; FEVER, MPE and Add-One halved), 1 epoch.
#   Stage 2: the shipped model's second-stage mixture (model card), class-weighted, 2 epochs,
#            with a small replay of the rewrites and of the harder NLI sets.
# Resumable: run it again and each stage continues from its last checkpoint (every 100 steps).
#   nohup bash training/v8.sh >> training/runs/v8.log 2>&1 &   (">>": a resumed run appends)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f training/splits/train.jsonl ] || python training/data.py
[ -f training/splits/train_gen.jsonl ] || python training/generate.py
if [ ! -f training/runs/v8/s1/summary.json ]; then
  python training/train_nli.py --out training/runs/v8/s1 \
    --extra-train training/splits/train_gen.jsonl --epochs 1 --lr 5e-5 --warmup 0.06 \
    --max-length 128 --eval-every 1200 --checkpoint-every 100 --dev-limit 800 \
    --mix fever=0.5 --mix mpe=0.5 --mix add_one_rte=0.5
fi
exec python training/train_nli.py --out training/runs/v8/s2 --init training/runs/v8/s1/last \
  --extra-train training/splits/train_gen.jsonl --epochs 2 --lr 3e-5 --warmup 0.03 \
  --max-length 256 --eval-every 380 --checkpoint-every 100 --dev-limit 800 --class-weights \
  --mix scifact=3 --mix healthver=3 --mix scifact_rte=2 --mix climate_fever=0.7 \
  --mix covidfact=0.7 --mix snli=0.5 --mix mpe=0.3 --mix sick=0.5 --mix fever=0.2 --mix rte=0.5 \
  --mix add_one_rte=0.2 --mix lingnli=0.05 --mix conjnli=0.03 --mix taxinli=0.05 --mix cad=0.1 \
  --mix gen_number=0.1 --mix gen_antonym=0.1 --mix gen_swap=0.1 --mix gen_truncate=0.1 \
  --mix gen_drop_clause=0.1 --mix gen_paraphrase=0.1 --mix gen_added_clause=0.1 \
  --mix gen_copy=0.1 --mix gen_negation=0.1 --mix gen_unit=0.2 --mix gen_scale=0.5 \
  --mix gen_our_model=0.5 --mix gen_other_paper=0.1
