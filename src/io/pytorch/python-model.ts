/**
 * The fixed part of the generated model.py: plain PyTorch modules for sinew's layers and
 * regularizers with the formulas of docs/semantics.md, and a safetensors reader and writer in pure
 * Python (PyTorch 1.13 reads no safetensors, and the `safetensors` package may be missing).
 * The model-specific part (the Model class) is written after it by export.ts.
 */
export const MODEL_RUNTIME = String.raw`import json
import math
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# ----------------------------------------------------------------------------------------
# Regularizers: the formulas of sinew (and Keras), so coefficients port 1:1.
# 'reduction' says how a layer treats the value as an activity penalty: 'sum' is divided by
# the batch size (unless the layer says activity_reduction='sum'); 'batchMean' (klSparsity)
# is already a batch statistic and is never divided again.


class L1L2:
    reduction = "sum"

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = l1
        self.l2 = l2

    def __call__(self, x):
        out = None
        if self.l1:
            out = self.l1 * x.abs().sum()
        if self.l2:
            term = self.l2 * x.square().sum()
            out = term if out is None else out + term
        return x.new_zeros(()) if out is None else out


class Orthogonal:
    """factor x the mean |cosine| over distinct pairs of rows (or columns), Keras's formula."""

    reduction = "sum"

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = factor
        self.mode = mode

    def __call__(self, x):
        rows = self.mode == "rows"
        n = x.shape[0 if rows else 1]
        if n < 2:
            return x.new_zeros(())
        squares = x.square().sum(dim=1 if rows else 0, keepdim=True)
        unit = x * torch.rsqrt(torch.clamp(squares, min=1e-14))
        gram = unit @ unit.t() if rows else unit.t() @ unit
        off = gram * (1 - torch.eye(n, dtype=x.dtype))
        return off.abs().sum() * (self.factor * 0.5 / (n * (n - 1) / 2))


class KLSparsity:
    """beta * sum_j KL(rho || mean activation of unit j over the batch)."""

    reduction = "batchMean"

    def __init__(self, rho=0.05, beta=1.0):
        self.rho = rho
        self.beta = beta

    def __call__(self, x):
        if x.numel() == 0:
            return x.sum() * 0
        dims = list(range(x.dim() - 1)) if x.dim() > 1 else [0]
        rho_hat = torch.clamp(x.mean(dim=dims) if x.dim() > 0 else x, 1e-7, 1 - 1e-7)
        rho = self.rho
        constant = rho * math.log(rho) + (1 - rho) * math.log(1 - rho)
        kl = constant - (torch.log(rho_hat) * rho + torch.log(1 - rho_hat) * (1 - rho))
        return kl.sum() * self.beta


# ----------------------------------------------------------------------------------------
# Activations, by Keras name.


def activation(name, **config):
    if name == "linear":
        return lambda x: x
    if name == "relu":
        return F.relu
    if name == "relu6":
        return F.relu6
    if name == "sigmoid":
        return torch.sigmoid
    if name == "hard_sigmoid":
        return lambda x: F.relu6(x + 3) / 6
    if name == "tanh":
        return torch.tanh
    if name == "softmax":
        return lambda x: F.softmax(x, dim=config.get("axis", -1))
    if name == "log_softmax":
        return lambda x: F.log_softmax(x, dim=config.get("axis", -1))
    if name == "softplus":
        return lambda x: F.softplus(x, beta=1, threshold=1000)
    if name == "softsign":
        return F.softsign
    if name == "elu":
        return lambda x: F.elu(x, alpha=config.get("alpha", 1.0))
    if name == "selu":
        return F.selu
    if name == "gelu":
        return lambda x: F.gelu(x, approximate="tanh" if config.get("approximate") else "none")
    if name == "leaky_relu":
        return lambda x: F.leaky_relu(x, negative_slope=config.get("negativeSlope", 0.2))
    if name == "swish":
        return F.silu
    if name == "mish":
        return F.mish
    raise ValueError("unknown activation " + repr(name))


# ----------------------------------------------------------------------------------------
# Layers. Each keeps sinew's name; weight penalties are taken on the weight in sinew's
# (Keras's) layout, so a layout-dependent regularizer (orthogonal) sees the same matrix.


class SinewLayer(nn.Module):
    def __init__(self, name, activity_regularizer=None, activity_reduction="batchMean",
                 trainable=True):
        super().__init__()
        self.sinew_name = name
        self.activity_regularizer = activity_regularizer
        self.activity_reduction = activity_reduction
        self.trainable = trainable
        # torch parameter name -> (sinew weight name, regularizer or None)
        self.sinew_weights = {}

    def add_weight(self, torch_name, sinew_name, value, regularizer=None, trainable=True):
        param = nn.Parameter(value, requires_grad=trainable and self.trainable)
        self.register_parameter(torch_name, param)
        self.sinew_weights[torch_name] = (sinew_name, regularizer)
        return param

    def keras_layout(self, torch_name, value):
        return value

    def weight_penalties(self):
        """(name, value) of each trainable weight's penalty; frozen weights are not penalised."""
        out = []
        for torch_name, (sinew_name, regularizer) in self.sinew_weights.items():
            param = getattr(self, torch_name)
            if regularizer is not None and param.requires_grad:
                out.append((self.sinew_name + "/" + sinew_name,
                            regularizer(self.keras_layout(torch_name, param))))
        return out

    def activity_penalty(self, y):
        """SEMANTICS rules 6-8: divided by the batch unless 'sum' or a batch statistic."""
        penalty = self.activity_regularizer(y)
        if (self.activity_reduction == "sum" or self.activity_regularizer.reduction == "batchMean"
                or y.dim() == 0):
            return penalty
        batch = y.shape[0]
        return penalty * 0 if batch == 0 else penalty / batch


class Dense(SinewLayer):
    """activation(x @ kernel + bias); the kernel is kept as torch's [out, in] weight."""

    def __init__(self, name, in_features, units, activation="linear", activation_config=None,
                 use_bias=True, kernel_regularizer=None, bias_regularizer=None,
                 kernel_trainable=True, bias_trainable=True, **options):
        super().__init__(name, **options)
        self.add_weight("weight", "kernel", torch.zeros(units, in_features), kernel_regularizer,
                        kernel_trainable)
        if use_bias:
            self.add_weight("bias", "bias", torch.zeros(units), bias_regularizer, bias_trainable)
        else:
            self.bias = None
        self.activation = globals()["activation"](activation, **(activation_config or {}))

    def keras_layout(self, torch_name, value):
        return value.t() if torch_name == "weight" else value

    def forward(self, x):
        return self.activation(F.linear(x, self.weight, self.bias))


class Activation(SinewLayer):
    def __init__(self, name, activation="linear", activation_config=None, **options):
        super().__init__(name, **options)
        self.activation = globals()["activation"](activation, **(activation_config or {}))

    def forward(self, x):
        return self.activation(x)


class Dropout(SinewLayer):
    """Inverted dropout in training (kept units scaled by 1 / (1 - rate)), identity otherwise."""

    def __init__(self, name, rate, **options):
        super().__init__(name, **options)
        self.rate = rate

    def forward(self, x):
        return F.dropout(x, self.rate, training=self.training) if self.rate > 0 else x


class GaussianNoise(SinewLayer):
    def __init__(self, name, stddev, **options):
        super().__init__(name, **options)
        self.stddev = stddev

    def forward(self, x):
        if not self.training or self.stddev == 0:
            return x
        return x + torch.randn_like(x) * self.stddev


class Identity(SinewLayer):
    """sinew's ActivityRegularization: the identity; its penalty is the activity regularizer."""

    def forward(self, x):
        return x


class Flatten(SinewLayer):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


class Reshape(SinewLayer):
    def __init__(self, name, target_shape, **options):
        super().__init__(name, **options)
        self.target_shape = list(target_shape)

    def forward(self, x):
        return x.reshape([x.shape[0]] + self.target_shape)


class KSparse(SinewLayer):
    """Keeps the k largest units of each sample (last axis), zeroes the rest; the mask is a
    constant, so gradients flow only through the kept units. k in training, k_inference else."""

    def __init__(self, name, k, k_inference, **options):
        super().__init__(name, **options)
        self.k = k
        self.k_inference = k_inference

    def forward(self, x):
        width = x.shape[-1]
        kept = min(width, self.k if self.training else self.k_inference)
        if kept >= width:
            return x
        with torch.no_grad():
            index = torch.topk(x, kept, dim=-1, sorted=False).indices
            mask = torch.zeros_like(x).scatter_(-1, index, 1.0)
        return x * mask


class BatchNormalization(SinewLayer):
    """Keras's batch normalization: batch mean and biased variance in training (when the layer
    is trainable), moving = moving * momentum + batch * (1 - momentum); moving statistics at
    inference. Under DistributedDataParallel the batch statistics are each process's own."""

    def __init__(self, name, size, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
                 scale=True, gamma_regularizer=None, beta_regularizer=None, **options):
        super().__init__(name, **options)
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        if scale:
            self.add_weight("weight", "gamma", torch.ones(size), gamma_regularizer)
        else:
            self.weight = None
        if center:
            self.add_weight("bias", "beta", torch.zeros(size), beta_regularizer)
        else:
            self.bias = None
        self.register_buffer("running_mean", torch.zeros(size))
        self.register_buffer("running_var", torch.ones(size))

    def forward(self, x):
        axis = self.axis % x.dim()
        shape = [1] * x.dim()
        shape[axis] = -1
        if self.training and self.trainable:
            dims = [d for d in range(x.dim()) if d != axis]
            mean = x.mean(dim=dims, keepdim=True)
            var = (x - mean).square().mean(dim=dims, keepdim=True)
            with torch.no_grad():
                m = self.momentum
                self.running_mean.copy_(self.running_mean * m + mean.reshape(-1) * (1 - m))
                self.running_var.copy_(self.running_var * m + var.reshape(-1) * (1 - m))
        else:
            mean = self.running_mean.reshape(shape)
            var = self.running_var.reshape(shape)
        y = (x - mean) * torch.rsqrt(var + self.epsilon)
        if self.weight is not None:
            y = y * self.weight.reshape(shape)
        if self.bias is not None:
            y = y + self.bias.reshape(shape)
        return y


class SinewSequential(nn.Module):
    """The layers in order. forward() records each activity penalty of the pass;
    regularization_losses() gives them with every weight penalty, named as sinew's
    model.regularizationLosses() ('encoder/kernel', 'encoder/activity')."""

    def __init__(self):
        super().__init__()
        self.sinew_layers = []
        self._activity = []

    def forward(self, x):
        self._activity = []
        for attr in self.sinew_layers:
            layer = getattr(self, attr)
            x = layer(x)
            if layer.activity_regularizer is not None:
                self._activity.append((layer.sinew_name + "/activity", layer.activity_penalty(x)))
        return x

    def regularization_terms(self):
        """(name, tensor) of every penalty, layer by layer (activity first, as sinew)."""
        terms = []
        for attr in self.sinew_layers:
            layer = getattr(self, attr)
            terms.extend(t for t in self._activity if t[0] == layer.sinew_name + "/activity")
            terms.extend(layer.weight_penalties())
        return terms

    def regularization_losses(self):
        out = {}
        for name, value in self.regularization_terms():
            out[name] = out[name] + value if name in out else value
        return out

    def regularization_loss(self):
        terms = self.regularization_terms()
        if not terms:
            return torch.zeros((), dtype=DTYPE)
        total = terms[0][1]
        for _, value in terms[1:]:
            total = total + value
        return total


# ----------------------------------------------------------------------------------------
# safetensors in plain Python: 8-byte little-endian header length, JSON header, raw data.

_NUMPY = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8"}
_SAFE = {np.dtype("<f4"): "F32", np.dtype("<f8"): "F64", np.dtype("<i4"): "I32",
         np.dtype("<i8"): "I64"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(path + ": truncated safetensors header")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(path + ": the safetensors header claims more bytes than the file has")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = np.dtype(_NUMPY[entry["dtype"]])
        if 8 + n + end > len(data):
            raise ValueError(path + ": '" + name + "' lies past the end of the file")
        array = np.frombuffer(data, dtype=dtype, count=(end - begin) // dtype.itemsize,
                              offset=8 + n + begin)
        out[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return out


def write_safetensors(tensors, path):
    header = {}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        array = np.ascontiguousarray(value.detach().cpu().numpy())
        array = array.astype(array.dtype.newbyteorder("<"), copy=False)
        blob = array.tobytes()
        header[name] = {"dtype": _SAFE[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    import os
    os.replace(tmp, path)
`;
