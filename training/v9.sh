#!/usr/bin/env bash
# Verifier v9: v8's recipe shrunk to fit one 3-hour session on 2 cores (~2 h of training).
# v8 (training/v8.sh, now only in git history) had a stage 1 of 4,798 steps that could not
# finish: its checkpoints lived in training/runs/, which a new machine does not have, so
# 3,100 steps were lost between sessions. v9 keeps v8's design
# (from all-MiniLM-L6-v2 itself; stage 1 on every source incl. ../shared/data/nli_more and the
# rewrites of training/generate.py; stage 2 the shipped second-stage mixture with replay), with
#   Stage 1: every source subsampled to ~59k pairs (1,850 steps, as many as the shipped model's
#            stage 1), max 128 tokens;
#   Stage 2: v8's stage-2 mixture, 1.5 epochs (~2,000 steps), max 256 tokens.
# Still resumable within a machine (checkpoint every 100 steps):
#   nohup bash training/v9.sh >> training/runs/v9.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f training/splits/train.jsonl ] || python training/data.py
[ -f training/splits/train_gen.jsonl ] || python training/generate.py
GEN_FAMILIES="number antonym swap truncate drop_clause paraphrase added_clause copy negation unit scale our_model other_paper"
gen_mix() {  # the same factor for every rewrite family
  for f in $GEN_FAMILIES; do printf -- '--mix gen_%s=%s ' "$f" "$1"; done
}
if [ ! -f training/runs/v9/s1/summary.json ]; then
  # shellcheck disable=SC2046
  python training/train_nli.py --out training/runs/v9/s1 \
    --extra-train training/splits/train_gen.jsonl --epochs 1 --lr 5e-5 --warmup 0.06 \
    --max-length 128 --eval-every 925 --checkpoint-every 100 --dev-limit 800 \
    --mix lingnli=0.3 --mix conjnli=0.25 --mix fever=0.3 --mix taxinli=0.3 --mix mpe=0.3 \
    --mix snli=0.8 --mix cad=0.5 --mix climate_fever=0.5 --mix add_one_rte=0.3 --mix sick=0.6 \
    --mix covidfact=0.6 --mix scifact=0.6 --mix rte=0.6 $(gen_mix 0.2)
fi
exec python training/train_nli.py --out training/runs/v9/s2 --init training/runs/v9/s1/last \
  --extra-train training/splits/train_gen.jsonl --epochs 1.5 --lr 3e-5 --warmup 0.03 \
  --max-length 256 --eval-every 334 --checkpoint-every 100 --dev-limit 800 --class-weights \
  --mix scifact=3 --mix healthver=3 --mix scifact_rte=2 --mix climate_fever=0.7 \
  --mix covidfact=0.7 --mix snli=0.5 --mix mpe=0.3 --mix sick=0.5 --mix fever=0.2 --mix rte=0.5 \
  --mix add_one_rte=0.2 --mix lingnli=0.05 --mix conjnli=0.03 --mix taxinli=0.05 --mix cad=0.1 \
  --mix gen_number=0.1 --mix gen_antonym=0.1 --mix gen_swap=0.1 --mix gen_truncate=0.1 \
  --mix gen_drop_clause=0.1 --mix gen_paraphrase=0.1 --mix gen_added_clause=0.1 \
  --mix gen_copy=0.1 --mix gen_negation=0.1 --mix gen_unit=0.2 --mix gen_scale=0.5 \
  --mix gen_our_model=0.5 --mix gen_other_paper=0.1
