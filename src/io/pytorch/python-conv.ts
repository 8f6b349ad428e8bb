/**
 * The convolution family's part of the generated model.py (appended after MODEL_RUNTIME):
 * channels-last modules around torch's NCHW convolutions and poolings, with TensorFlow's
 * 'same' padding (the odd pixel of an odd total goes at the end, so F.pad, not padding=).
 */
export const CONV_RUNTIME = String.raw`

# ----------------------------------------------------------------------------------------
# Convolution and pooling, channels-last at the boundary as sinew ([batch, ..., channels]).


def same_pads(sizes, kernel, strides, dilation):
    """F.pad's list (last spatial axis first) for TensorFlow's 'same': total padding
    max((out - 1) * stride + span - size, 0), the smaller half before, the rest after."""
    pads = []
    for size, k, s, d in reversed(list(zip(sizes, kernel, strides, dilation))):
        span = (k - 1) * d + 1
        out = -(-size // s)
        total = max((out - 1) * s + span - size, 0)
        pads.extend([total // 2, total - total // 2])
    return pads


class Conv(SinewLayer):
    """Conv1D / Conv2D: the kernel is kept as torch's [out, in, *kernel] weight."""

    def __init__(self, name, in_channels, filters, kernel_size, strides, padding, dilation,
                 activation="linear", activation_config=None, use_bias=True,
                 kernel_regularizer=None, bias_regularizer=None, kernel_trainable=True,
                 bias_trainable=True, **options):
        super().__init__(name, **options)
        self.rank = len(kernel_size)
        self.kernel_size = list(kernel_size)
        self.strides = list(strides)
        self.padding = padding
        self.dilation = list(dilation)
        self.add_weight("weight", "kernel", torch.zeros([filters, in_channels] + self.kernel_size),
                        kernel_regularizer, kernel_trainable)
        if use_bias:
            self.add_weight("bias", "bias", torch.zeros(filters), bias_regularizer, bias_trainable)
        else:
            self.bias = None
        self.activation = globals()["activation"](activation, **(activation_config or {}))

    def keras_layout(self, torch_name, value):
        if torch_name != "weight":
            return value
        return value.permute(2, 1, 0) if self.rank == 1 else value.permute(2, 3, 1, 0)

    def forward(self, x):
        x = x.movedim(-1, 1)
        if self.padding == "same":
            x = F.pad(x, same_pads(x.shape[2:], self.kernel_size, self.strides, self.dilation))
        conv = F.conv1d if self.rank == 1 else F.conv2d
        y = conv(x, self.weight, self.bias, stride=self.strides, dilation=self.dilation)
        return self.activation(y.movedim(1, -1))


class Pooling(SinewLayer):
    """Max / average pooling. 'same' as TensorFlow: max ignores the padding (pads with -inf),
    average divides each window by the number of real elements it covers."""

    def __init__(self, name, mode, pool_size, strides, padding, **options):
        super().__init__(name, **options)
        self.mode = mode
        self.pool_size = list(pool_size)
        self.strides = list(strides)
        self.padding = padding

    def forward(self, x):
        rank = len(self.pool_size)
        x = x.movedim(-1, 1)
        pads = None
        if self.padding == "same":
            pads = same_pads(x.shape[2:], self.pool_size, self.strides, [1] * rank)
            if not any(pads):
                pads = None
        if self.mode == "max":
            pool = F.max_pool1d if rank == 1 else F.max_pool2d
            if pads is not None:
                x = F.pad(x, pads, value=-math.inf)
            y = pool(x, self.pool_size, self.strides)
        else:
            pool = F.avg_pool1d if rank == 1 else F.avg_pool2d
            if pads is None:
                y = pool(x, self.pool_size, self.strides)
            else:
                ones = torch.ones([1, 1] + list(x.shape[2:]), dtype=x.dtype)
                y = (pool(F.pad(x, pads), self.pool_size, self.strides)
                     / pool(F.pad(ones, pads), self.pool_size, self.strides))
        return y.movedim(1, -1)


class GlobalPooling(SinewLayer):
    """The mean or the max over the spatial axes of [batch, ..., channels]."""

    def __init__(self, name, mode, rank, keep_dims=False, **options):
        super().__init__(name, **options)
        self.mode = mode
        self.rank = rank
        self.keep_dims = keep_dims

    def forward(self, x):
        dims = list(range(1, 1 + self.rank))
        if self.mode == "max":
            return torch.amax(x, dim=dims, keepdim=self.keep_dims)
        return x.mean(dim=dims, keepdim=self.keep_dims)
`;
