"""Average two fine-tuned checkpoints of one architecture in weight space (WiSE-FT).

Wortsman et al. (2022, "Robust fine-tuning of zero-shot models") show that interpolating the
weights of a model before and after further fine-tuning, theta = (1 - a) * theta_0 + a *
theta_1, often keeps most of what the second run learned while recovering what it forgot. Here
theta_0 is the shipped verifier and theta_1 a continued run (v2 starts from v1, so the two lie
in one basin and their average is a working model); ``training/eval_dev.py`` then measures each
mixing weight on every dev set, and only a mix that is better everywhere may ship.

Usage::

    python training/interpolate.py synth/models/nli-minilm-l6 training/runs/v2/best \
        --alpha 0.5 --out training/runs/wise-0.5
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def interpolate(
    base: dict[str, torch.Tensor], tuned: dict[str, torch.Tensor], alpha: float
) -> dict[str, torch.Tensor]:
    """``(1 - alpha) * base + alpha * tuned`` for every floating tensor (others from ``tuned``).

    >>> a, b = {"w": torch.zeros(2)}, {"w": torch.ones(2)}
    >>> interpolate(a, b, 0.25)["w"].tolist()
    [0.25, 0.25]
    """
    if base.keys() != tuned.keys():
        missing = sorted(base.keys() ^ tuned.keys())[:3]
        raise ValueError(f"the two models differ in their weights ({missing} ...)")
    out = {}
    for name, t in tuned.items():
        if t.is_floating_point():
            out[name] = (1.0 - alpha) * base[name].float() + alpha * t.float()
        else:
            out[name] = t
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("base", type=Path, help="the model before (the shipped one)")
    ap.add_argument("tuned", type=Path, help="the model after further training")
    ap.add_argument("--alpha", type=float, required=True, help="weight of the tuned model, 0..1")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if not 0.0 <= args.alpha <= 1.0:
        raise SystemExit(f"--alpha must be within 0..1, not {args.alpha}")
    base = AutoModelForSequenceClassification.from_pretrained(args.base, dtype=torch.float32)
    tuned = AutoModelForSequenceClassification.from_pretrained(args.tuned, dtype=torch.float32)
    if base.config.id2label != tuned.config.id2label:
        raise SystemExit("the two models order their labels differently; cannot average them")
    tuned.load_state_dict(interpolate(base.state_dict(), tuned.state_dict(), args.alpha))
    tuned.config.synth_interpolation = {
        "base": str(args.base),
        "tuned": str(args.tuned),
        "alpha": args.alpha,
    }
    tuned.save_pretrained(args.out)
    AutoTokenizer.from_pretrained(args.tuned).save_pretrained(args.out)
    print(f"wrote {args.out} (alpha {args.alpha})")


if __name__ == "__main__":
    main()
