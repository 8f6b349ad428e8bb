/**
 * The generated train.py: sinew's compile() and fit() in PyTorch, reading training.json (the
 * optimizer, loss and fit settings the exporter wrote) and the data from .npy files. The
 * update rules, schedules, clipping and weight decay are sinew's (Keras 3's) formulas, not
 * torch.optim's; the shuffle order is sinew's own generator, so a seeded run visits the
 * batches in the order sinew's fit would.
 */
export const TRAIN_PY = String.raw`"""Trains the exported model as sinew's model.fit() would, on one process or many.

    python3 train.py --data DIR [--epochs N] [--batch-size B] [--seed S] [--out FILE]
    python3 train.py --data DIR --processes 2          # data parallel, torch.multiprocessing
    torchrun --nproc_per_node=2 train.py --data DIR    # data parallel, where torchrun works

DIR holds x.npy and y.npy (sn.io.saveNpy or 'sinew export data' write them). The settings
default to training.json (what sinew's compile() and the exporter's fit options said); the
flags override them. Each epoch logs loss and regularization_loss (and val_loss,
val_regularization_loss with a validation split) as sinew does; the weights are saved as
safetensors at the end (sn.io.loadSafetensors(model, path) reads them back).

Data parallel (DistributedDataParallel over gloo on CPU, nccl with CUDA): --batch-size is the
global batch; each of the N processes takes batch/N rows of every global batch (a
DistributedSampler over the epoch's shuffled order), and DDP averages the gradients. What is
exactly equivalent to one process with the global batch:
  - the data loss (a mean over the batch) and every penalty reduced by a batch mean (the
    default activityRegularizerReduction 'batchMean' divides by the local batch, and the
    average over processes equals the division by the global batch), kernel and bias
    penalties (every process adds the same penalty; averaging keeps it), the optimizer step,
    weight decay, clipping (applied after the average), kSparse (per sample), dropout and
    noise in distribution (not the same random numbers).
What is not:
  - activityRegularizerReduction 'sum': each process sums over its own rows and the average
    divides that by N, so the penalty is 1/N of the one-process value (multiply its
    coefficients by N to keep the same strength);
  - klSparsity: its rho-hat is the mean activation of each process's rows, not of the global
    batch (KL is not linear in rho-hat), so the penalty differs slightly;
  - BatchNormalization: the batch statistics are each process's own (no SyncBatchNorm on CPU)
    and the moving averages are those of process 0 (DDP broadcasts buffers from it);
  - a last partial batch: the sampler pads it by repeating rows so every process has as many.
The program runs those cases anyway (their results are valid training, just not the same
numbers as one process) and prints a note naming them at the start.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import model as exported  # noqa: E402

with open(os.path.join(HERE, "training.json")) as f:
    CONFIG = json.load(f)

M32 = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & M32


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class SinewRandom:
    """sinew's generator (xoshiro128** seeded through splitmix32): the same shuffle order."""

    def __init__(self, seed):
        s = int(seed)
        x = ((s & M32) ^ _imul((s // 2 ** 32) & M32, 0x9E3779B9)) & M32
        self.s = [0, 0, 0, 0]
        for i in range(4):
            x = (x + 0x9E3779B9) & M32
            z = x
            z = _imul(z ^ (z >> 16), 0x85EBCA6B)
            z = _imul(z ^ (z >> 13), 0xC2B2AE35)
            self.s[i] = (z ^ (z >> 16)) & M32
        if not any(self.s):
            self.s[0] = 1

    def next_uint32(self):
        s = self.s
        result = _imul(_rotl(_imul(s[1], 5), 7), 9)
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 11)
        return result

    def next_float(self):
        hi = self.next_uint32() >> 5
        lo = self.next_uint32() >> 6
        return (hi * 67108864 + lo) / 9007199254740992

    def next_int(self, n):
        return int(self.next_float() * n)

    def permutation(self, n):
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.next_int(i + 1)
            order[i], order[j] = order[j], order[i]
        return order


# ----------------------------------------------------------------------------------------
# Learning-rate schedules (sinew's formulas), evaluated at the optimizer's step count.


def schedule(spec):
    import math
    if not isinstance(spec, dict):
        return lambda step: float(spec)
    name, c = spec["className"], spec["config"]
    if name == "ExponentialDecay":
        def at(step):
            p = step / c["decaySteps"]
            if c.get("staircase"):
                p = math.floor(p)
            return c["initialLearningRate"] * math.pow(c["decayRate"], p)
        return at
    if name == "CosineDecay":
        alpha = c.get("alpha") or 0.0
        warmup_steps = c.get("warmupSteps") or 0
        target = c.get("warmupTarget")

        def decay(step, start):
            cosine = 0.5 * (1 + math.cos(math.pi * (step / c["decaySteps"])))
            return start * ((1 - alpha) * cosine + alpha)

        def at(step):
            if target is None:
                return decay(min(step, c["decaySteps"]), c["initialLearningRate"])
            s = min(step, c["decaySteps"] + warmup_steps)
            if s < warmup_steps:
                delta = target - c["initialLearningRate"]
                return delta * (s / warmup_steps) + c["initialLearningRate"]
            return decay(s - warmup_steps, target)
        return at
    if name == "PiecewiseConstantDecay":
        def at(step):
            for i, b in enumerate(c["boundaries"]):
                if step <= b:
                    return c["values"][i]
            return c["values"][-1]
        return at
    if name == "LinearWarmup":
        after = schedule(c["target"])
        initial = c.get("initialLearningRate") or 0.0

        def at(step):
            if step >= c["warmupSteps"]:
                return after(step - c["warmupSteps"])
            t0 = after(0)
            return initial + (t0 - initial) * (step / c["warmupSteps"])
        return at
    raise ValueError("unknown learning-rate schedule " + name)


# ----------------------------------------------------------------------------------------
# Optimizers: Keras 3's update rules as sinew implements them (not torch.optim's: Adam's
# epsilon sits outside the bias correction, weight decay is decoupled and applied first).


class Optimizer:
    def __init__(self, named_params, class_name, config):
        self.params = named_params  # [(sinew name, parameter)]
        self.kind = class_name
        self.c = config
        self.lr = schedule(config.get("learningRate", 0.001))
        self.weight_decay = config.get("weightDecay")
        if class_name == "AdamW" and self.weight_decay is None:
            self.weight_decay = 0.004
        self.exclude = config.get("excludeFromWeightDecay") or []
        self.iterations = 0
        self.slots = {}
        self.u_product = 1.0

    def _clip(self, grads):
        c = self.c
        if c.get("clipnorm") is not None:
            n = c["clipnorm"]
            return [g * n / torch.clamp(g.square().sum().sqrt(), min=n) for g in grads]
        if c.get("globalClipnorm") is not None:
            n = c["globalClipnorm"]
            norm = float(sum(float(g.square().sum()) for g in grads)) ** 0.5
            scale = n * min(1 / norm if norm else float("inf"), 1 / n)
            return [g * scale for g in grads]
        if c.get("clipvalue") is not None:
            v = c["clipvalue"]
            return [torch.clamp(g, -v, v) for g in grads]
        return grads

    def slot(self, name, slot, like, initial=0.0):
        key = name + "/" + slot
        if key not in self.slots:
            self.slots[key] = torch.full_like(like, initial)
        return self.slots[key]

    @torch.no_grad()
    def step(self):
        live = [(n, p) for n, p in self.params if p.grad is not None]
        if not live:
            return
        lr = self.lr(self.iterations)
        t = self.iterations + 1
        grads = self._clip([p.grad for _, p in live])
        if self.kind == "Nadam":
            self.u_product *= self._u(t)
        for (name, p), g in zip(live, grads):
            w = p.detach().clone()
            if self.weight_decay is not None and not any(e in name for e in self.exclude):
                w = w - w * self.weight_decay * lr
            p.copy_(self._update(name, w, g, lr, t))
        self.iterations = t

    def _u(self, t):
        return self.c.get("beta1", 0.9) * (1 - 0.5 * 0.96 ** t)

    def _update(self, name, w, g, lr, t):
        c, k = self.c, self.kind
        if k == "SGD":
            momentum = c.get("momentum", 0.0)
            if momentum == 0:
                return w - g * lr
            velocity = self.slot(name, "momentum", w) * momentum - g * lr
            self.slots[name + "/momentum"] = velocity
            if c.get("nesterov"):
                return w + (velocity * momentum - g * lr)
            return w + velocity
        if k in ("Adam", "AdamW"):
            b1, b2, eps = c.get("beta1", 0.9), c.get("beta2", 0.999), c.get("epsilon", 1e-7)
            alpha = lr * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
            m0, v0 = self.slot(name, "m", w), self.slot(name, "v", w)
            m = m0 + (g - m0) * (1 - b1)
            v = v0 + (g.square() - v0) * (1 - b2)
            self.slots[name + "/m"], self.slots[name + "/v"] = m, v
            if c.get("amsgrad"):
                v = torch.maximum(self.slot(name, "vhat", w), v)
                self.slots[name + "/vhat"] = v
            return w - m * alpha / (v.sqrt() + eps)
        if k == "Adamax":
            b1, b2, eps = c.get("beta1", 0.9), c.get("beta2", 0.999), c.get("epsilon", 1e-7)
            m0 = self.slot(name, "m", w)
            m = m0 + (g - m0) * (1 - b1)
            u = torch.maximum(self.slot(name, "v", w) * b2, g.abs())
            self.slots[name + "/m"], self.slots[name + "/v"] = m, u
            return w - m * lr / ((u + eps) * (1 - b1 ** t))
        if k == "Nadam":
            b1, b2, eps = c.get("beta1", 0.9), c.get("beta2", 0.999), c.get("epsilon", 1e-7)
            ut, ut1 = self._u(t), self._u(t + 1)
            u_product1 = self.u_product * ut1
            m0, v0 = self.slot(name, "m", w), self.slot(name, "v", w)
            m = m0 + (g - m0) * (1 - b1)
            v = v0 + (g.square() - v0) * (1 - b2)
            self.slots[name + "/m"], self.slots[name + "/v"] = m, v
            m_hat = m * ut1 / (1 - u_product1) + g * (1 - ut) / (1 - self.u_product)
            v_hat = v / (1 - b2 ** t)
            return w - m_hat * lr / (v_hat.sqrt() + eps)
        if k == "RMSprop":
            rho, eps = c.get("rho", 0.9), c.get("epsilon", 1e-7)
            momentum = c.get("momentum", 0.0)
            rms = self.slot(name, "rms", w) * rho + g.square() * (1 - rho)
            self.slots[name + "/rms"] = rms
            if c.get("centered"):
                mg = self.slot(name, "mg", w) * rho + g * (1 - rho)
                self.slots[name + "/mg"] = mg
                denominator = rms - mg.square() + eps
            else:
                denominator = rms + eps
            increment = g * lr / denominator.sqrt()
            if momentum == 0:
                return w - increment
            mom = self.slot(name, "momentum", w) * momentum + increment
            self.slots[name + "/momentum"] = mom
            return w - mom
        if k == "Adagrad":
            eps = c.get("epsilon", 1e-7)
            acc = self.slot(name, "accumulator", w, c.get("initialAccumulatorValue", 0.1))
            acc = acc + g.square()
            self.slots[name + "/accumulator"] = acc
            return w - g * lr / (acc + eps).sqrt()
        raise ValueError("unknown optimizer " + k)


# ----------------------------------------------------------------------------------------
# Losses: the mean over the batch of each sample's loss (sinew's, Keras's formulas).


def data_loss(y_true, y_pred):
    c = CONFIG["loss"]
    kind, eps = c["className"], 1e-7
    if kind == "MeanSquaredError":
        per = (y_pred - y_true).square().mean(dim=-1)
    elif kind == "MeanAbsoluteError":
        per = (y_pred - y_true).abs().mean(dim=-1)
    elif kind == "BinaryCrossentropy":
        s = c["config"].get("labelSmoothing", 0)
        y = y_true * (1 - s) + 0.5 * s if s > 0 else y_true
        if c["config"].get("fromLogits"):
            per = (torch.nn.functional.softplus(y_pred, threshold=1000) - y_pred * y).mean(dim=-1)
        else:
            p = torch.clamp(y_pred, eps, 1 - eps)
            per = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean(dim=-1)
    elif kind in ("CategoricalCrossentropy", "SparseCategoricalCrossentropy"):
        if kind == "SparseCategoricalCrossentropy":
            y = torch.nn.functional.one_hot(y_true.reshape(y_pred.shape[:-1]).long(),
                                            y_pred.shape[-1]).to(y_pred.dtype)
        else:
            s = c["config"].get("labelSmoothing", 0)
            y = y_true * (1 - s) + s / y_pred.shape[-1] if s > 0 else y_true
        if c["config"].get("fromLogits"):
            logp = torch.log_softmax(y_pred, dim=-1)
        else:
            logp = torch.log(torch.clamp(y_pred / y_pred.sum(dim=-1, keepdim=True), eps, 1 - eps))
        per = -(y * logp).sum(dim=-1)
    else:
        raise ValueError("unknown loss " + kind)
    return per.mean()


@torch.no_grad()
def metric_values(y_true, y_pred):
    """The compiled metrics on a batch: each a mean over the batch (sinew's running means
    weight every batch by its size, as the epoch logs here do)."""
    out = {}
    for m in CONFIG.get("metrics", []):
        kind = m["className"]
        if kind == "MeanSquaredError":
            value = (y_pred - y_true).square().mean()
        elif kind == "MeanAbsoluteError":
            value = (y_pred - y_true).abs().mean()
        elif kind == "BinaryAccuracy":
            guess = (y_pred > m["config"].get("threshold", 0.5)).to(y_true.dtype)
            value = (guess == y_true).to(torch.float64).mean()
        elif kind == "CategoricalAccuracy":
            value = (y_pred.argmax(-1) == y_true.argmax(-1)).to(torch.float64).mean()
        elif kind == "SparseCategoricalAccuracy":
            labels = y_true.reshape(y_pred.shape[:-1]).long()
            value = (y_pred.argmax(-1) == labels).to(torch.float64).mean()
        else:
            raise ValueError("unknown metric " + kind)
        out[m["name"]] = value
    return out


# ----------------------------------------------------------------------------------------
# fit()


def parse_args():
    fit = CONFIG["fit"]
    p = argparse.ArgumentParser(description="Train the exported sinew model in PyTorch.")
    p.add_argument("--data", default=os.path.join(HERE, "data"),
                   help="folder with x.npy and y.npy (default: ./data)")
    p.add_argument("--epochs", type=int, default=fit["epochs"])
    p.add_argument("--batch-size", type=int, default=fit["batchSize"],
                   help="the global batch (split over the processes)")
    p.add_argument("--seed", type=int, default=fit["seed"],
                   help="shuffle seed (sinew's generator: the same order as sinew's fit)")
    p.add_argument("--no-shuffle", action="store_true", default=not fit["shuffle"])
    p.add_argument("--validation-split", type=float, default=fit["validationSplit"])
    p.add_argument("--weights", default=os.path.join(HERE, "weights.safetensors"),
                   help="initial weights (default: the exported ones)")
    p.add_argument("--out", default=os.path.join(HERE, "trained.safetensors"),
                   help="where the trained weights are saved")
    p.add_argument("--processes", type=int, default=1,
                   help="data-parallel processes started here (torch.multiprocessing, gloo)")
    p.add_argument("--port", type=int, default=29500, help="MASTER_PORT for --processes")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    p.add_argument("--log-steps", default=None,
                   help="write each step's loss and named penalties as JSON lines here")
    return p.parse_args()


def penalty_notes(model, world):
    if world == 1:
        return []
    notes = []
    for attr in model.sinew_layers:
        layer = getattr(model, attr)
        reg = layer.activity_regularizer
        if reg is not None and layer.activity_reduction == "sum":
            notes.append(layer.sinew_name + ": activityRegularizerReduction 'sum' (1/N per process)")
        if reg is not None and reg.reduction == "batchMean":
            notes.append(layer.sinew_name + ": klSparsity uses each process's batch mean")
        if isinstance(layer, exported.BatchNormalization):
            notes.append(layer.sinew_name + ": batch statistics per process")
    return notes


def train(rank, world, args):
    import torch.distributed as dist
    distributed = world > 1
    if distributed:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        import datetime
        dist.init_process_group(backend, rank=rank, world_size=world,
                                timeout=datetime.timedelta(minutes=10))
    device = torch.device("cuda", rank % torch.cuda.device_count()) \
        if distributed and torch.cuda.is_available() else torch.device("cpu")
    model = exported.load_model(args.weights).to(device)
    for note in penalty_notes(model, world) if rank == 0 else []:
        print("note: not exactly equivalent to one process: " + note, flush=True)
    x_all = torch.from_numpy(np.load(os.path.join(args.data, "x.npy"))).to(exported.DTYPE)
    y_all = torch.from_numpy(np.load(os.path.join(args.data, "y.npy")))
    if y_all.is_floating_point():
        y_all = y_all.to(exported.DTYPE)
    total = x_all.shape[0]
    samples = total
    val = None
    if args.validation_split > 0:
        samples = int(total * (1 - args.validation_split))
        val = (x_all[samples:], y_all[samples:])
    x, y = x_all[:samples], y_all[:samples]
    if args.batch_size % world != 0:
        raise SystemExit("--batch-size %d must be a multiple of the %d processes"
                         % (args.batch_size, world))
    local = args.batch_size // world
    named = []
    for attr in model.sinew_layers:
        layer = getattr(model, attr)
        for torch_name, (short, _) in layer.sinew_weights.items():
            param = getattr(layer, torch_name)
            if param.requires_grad:
                named.append((layer.sinew_name + "/" + short, param))
    net = model
    if distributed:
        from torch.nn.parallel import DistributedDataParallel
        net = DistributedDataParallel(model, device_ids=None if device.type == "cpu" else [device])
    opt = CONFIG["optimizer"]
    optimizer = Optimizer(named, opt["className"], opt["config"])
    seed = args.seed
    if seed is None:
        # Unseeded: a random order, the same on every process (rank 0's draw).
        drawn = torch.tensor([int.from_bytes(os.urandom(4), "little")], dtype=torch.int64,
                             device=device)
        if distributed:
            dist.broadcast(drawn, 0)
        seed = int(drawn.item())
    rng = SinewRandom(seed)
    steps = -(-samples // args.batch_size)
    log = open(args.log_steps, "w") if args.log_steps and rank == 0 else None
    history = {"loss": [], "regularization_loss": []}
    done = 0

    def reduce_mean(value):
        if distributed:
            value = value.detach().clone()
            dist.all_reduce(value)
            value /= world
        return float(value)

    for epoch in range(args.epochs):
        order = rng.permutation(samples) if not args.no_shuffle else list(range(samples))
        model.train()
        sums = {"loss": 0.0, "regularization_loss": 0.0}
        seen = 0
        for step in range(steps):
            if args.max_steps is not None and done >= args.max_steps:
                break
            batch = order[step * args.batch_size:(step + 1) * args.batch_size]
            size = len(batch)
            if distributed:
                # The DistributedSampler's split of the batch: rows rank, rank + N, ... (the
                # last batch padded by repeating rows so each process has as many).
                from torch.utils.data.distributed import DistributedSampler
                sampler = DistributedSampler(batch, num_replicas=world, rank=rank, shuffle=False)
                batch = [batch[i] for i in sampler]
            index = torch.tensor(batch, dtype=torch.long)
            xb, yb = x[index].to(device), y[index].to(device)
            out = net(xb)
            loss_data = data_loss(yb, out)
            terms = model.regularization_terms()
            reg = model.regularization_loss()
            loss = loss_data + reg
            for p in model.parameters():
                p.grad = None
            loss.backward()
            optimizer.step()
            loss_value = reduce_mean(loss)
            reg_value = reduce_mean(reg)
            named_terms = {}
            for name, value in terms:
                named_terms[name] = named_terms.get(name, 0.0) + reduce_mean(value)
            sums["loss"] += loss_value * size
            sums["regularization_loss"] += reg_value * size
            for name, value in metric_values(yb, out).items():
                sums[name] = sums.get(name, 0.0) + reduce_mean(value) * size
            seen += size
            done += 1
            if log:
                log.write(json.dumps({"epoch": epoch, "step": step, "size": size,
                                      "loss": loss_value, "regularization_loss": reg_value,
                                      "terms": named_terms}) + "\n")
                log.flush()
        logs = {k: v / seen for k, v in sums.items()} if seen else {}
        if val is not None:
            logs.update(evaluate(model, val, args.batch_size, device))
        for k, v in logs.items():
            history.setdefault(k, []).append(v)
        if rank == 0:
            print("epoch %d/%d - %s" % (epoch + 1, args.epochs,
                                        " - ".join("%s: %.6g" % kv for kv in logs.items())),
                  flush=True)
        if args.max_steps is not None and done >= args.max_steps:
            break
    if rank == 0:
        exported.write_safetensors(model.state_dict(), args.out)
        with open(os.path.splitext(args.out)[0] + ".history.json", "w") as f:
            json.dump(history, f)
        print("saved " + args.out, flush=True)
    if log:
        log.close()
    if distributed:
        # Every process is done before any leaves. Then each leaves at once: process 0 hosts
        # the rendezvous store, and with torch 1.13 a process tearing its group down after 0
        # has gone (destroy_process_group, or the interpreter's own shutdown) can wait forever.
        dist.barrier()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@torch.no_grad()
def evaluate(model, val, batch_size, device):
    """val_loss and val_regularization_loss: inference mode, batch by batch, weighted by size."""
    model.eval()
    x, y = val
    sums = {"val_loss": 0.0, "val_regularization_loss": 0.0}
    for start in range(0, x.shape[0], batch_size):
        xb, yb = x[start:start + batch_size].to(device), y[start:start + batch_size].to(device)
        out = model(xb)
        reg = float(model.regularization_loss())
        sums["val_loss"] += (float(data_loss(yb, out)) + reg) * xb.shape[0]
        sums["val_regularization_loss"] += reg * xb.shape[0]
        for name, value in metric_values(yb, out).items():
            sums["val_" + name] = sums.get("val_" + name, 0.0) + float(value) * xb.shape[0]
    model.train()
    return {k: v / x.shape[0] for k, v in sums.items()}


def _spawned(rank, world, args):
    os.environ["RANK"] = str(rank)
    os.environ["WORLD_SIZE"] = str(world)
    train(rank, world, args)


def main():
    args = parse_args()
    if args.processes > 1:
        import torch.multiprocessing as mp
        if args.seed is None:
            args.seed = int.from_bytes(os.urandom(4), "little")
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", str(args.port))
        mp.spawn(_spawned, args=(args.processes, args), nprocs=args.processes, join=True)
    elif "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1:
        train(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)  # torchrun
    else:
        train(0, 1, args)


if __name__ == "__main__":
    main()
`;
