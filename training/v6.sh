#!/usr/bin/env bash
# Verifier v6: v5's recipe, now that train_nli.py unfolds the shipped model's calibration
# temperature (1.86) before training. v2-v5 all continued from the shipped weights with that
# temperature folded into the classifier, i.e. from a deliberately flat softmax; cross-entropy's
# first steps then re-sharpen the head through an already-trained encoder, and every run lost
# the claim-verification dev sets by its first evaluation. This run tests that explanation.
# Resumable: run it again to continue.
#   nohup bash training/v6.sh > training/runs/v6.log 2>&1 &
set -euo pipefail
exec bash "$(dirname "$0")/v5.sh" --out training/runs/v6 "$@"
