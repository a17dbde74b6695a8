#!/usr/bin/env bash
# Verifier v3: v2's recipe (training/v2.sh) with more replay of the claim-verification and
# general sets (v2 lost on COVID-Fact, Climate-FEVER, HealthVer, SICK and SNLI;
# training/results/v2_comparison.json). Resumable: run it again to continue.
#   bash training/v3.sh            # nohup it: ~2 h on 2 idle cores
set -euo pipefail
exec bash "$(dirname "$0")/v2.sh" --out training/runs/v3 \
  --mix snli=0.3 --mix sick=0.25 --mix rte=0.3 --mix covidfact=0.8 --mix climate_fever=0.8 \
  --mix healthver=1.6
