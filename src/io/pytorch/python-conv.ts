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


class ConvTranspose(SinewLayer):
    """Conv2DTranspose: torch's conv_transpose2d gives the full output ((size - 1) * stride +
    span per axis); TensorFlow's output (Keras's deconv_output_length) is cut from it, starting
    at half the excess for 'same', and padded with zeros at the end when longer."""

    def __init__(self, name, in_channels, filters, kernel_size, strides, padding, dilation,
                 output_padding=None, activation="linear", activation_config=None,
                 use_bias=True, kernel_regularizer=None, bias_regularizer=None,
                 kernel_trainable=True, bias_trainable=True, **options):
        super().__init__(name, **options)
        self.kernel_size = list(kernel_size)
        self.strides = list(strides)
        self.padding = padding
        self.dilation = list(dilation)
        self.output_padding = output_padding
        self.add_weight("weight", "kernel", torch.zeros([in_channels, filters] + self.kernel_size),
                        kernel_regularizer, kernel_trainable)
        if use_bias:
            self.add_weight("bias", "bias", torch.zeros(filters), bias_regularizer, bias_trainable)
        else:
            self.bias = None
        self.activation = globals()["activation"](activation, **(activation_config or {}))

    def keras_layout(self, torch_name, value):
        return value.permute(2, 3, 1, 0) if torch_name == "weight" else value

    def forward(self, x):
        x = x.movedim(-1, 1)
        y = F.conv_transpose2d(x, self.weight, None, stride=self.strides, dilation=self.dilation)
        for axis in range(2):
            size = x.shape[2 + axis]
            k, s, d = self.kernel_size[axis], self.strides[axis], self.dilation[axis]
            span = (k - 1) * d + 1
            full = (size - 1) * s + span
            if self.output_padding is None:
                out = size * s + max(span - s, 0) if self.padding == "valid" else size * s
            else:
                pad = span // 2 if self.padding == "same" else 0
                out = (size - 1) * s + span - 2 * pad + self.output_padding[axis]
            start = max(full - out, 0) // 2 if self.padding == "same" else 0
            y = y.narrow(2 + axis, start, min(out, full - start))
            if y.shape[2 + axis] < out:
                pads = [0, 0, 0, 0]
                pads[3 - 2 * axis] = out - y.shape[2 + axis]
                y = F.pad(y, pads)
        if self.bias is not None:
            y = y + self.bias.reshape(1, -1, 1, 1)
        return self.activation(y.movedim(1, -1))


class SeparableConv(SinewLayer):
    """DepthwiseConv2D (pointwise=False) and SeparableConv2D: a depthwise convolution
    (groups = channels, output channel c * multiplier + m), then for the separable one a 1x1
    convolution. The depthwise kernel is kept as [channels, multiplier, kh, kw]."""

    def __init__(self, name, in_channels, multiplier, kernel_size, strides, padding, dilation,
                 filters=None, activation="linear", activation_config=None, use_bias=True,
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 **options):
        super().__init__(name, **options)
        self.kernel_size = list(kernel_size)
        self.strides = list(strides)
        self.padding = padding
        self.dilation = list(dilation)
        self.pointwise = filters is not None
        depthwise = "depthwise_weight" if self.pointwise else "weight"
        self.depthwise_name = depthwise
        self.add_weight(depthwise, "depthwise_kernel",
                        torch.zeros([in_channels, multiplier] + self.kernel_size),
                        depthwise_regularizer)
        if self.pointwise:
            self.add_weight("pointwise_weight", "pointwise_kernel",
                            torch.zeros(filters, in_channels * multiplier, 1, 1),
                            pointwise_regularizer)
        out = filters if self.pointwise else in_channels * multiplier
        if use_bias:
            self.add_weight("bias", "bias", torch.zeros(out), bias_regularizer)
        else:
            self.bias = None
        self.activation = globals()["activation"](activation, **(activation_config or {}))

    def keras_layout(self, torch_name, value):
        if torch_name == self.depthwise_name:
            return value.permute(2, 3, 0, 1)
        if torch_name == "pointwise_weight":
            return value.permute(2, 3, 1, 0)
        return value

    def forward(self, x):
        x = x.movedim(-1, 1)
        if self.padding == "same":
            x = F.pad(x, same_pads(x.shape[2:], self.kernel_size, self.strides, self.dilation))
        depthwise = getattr(self, self.depthwise_name)
        kernel = depthwise.reshape([-1, 1] + self.kernel_size)
        y = F.conv2d(x, kernel, None if self.pointwise else self.bias, stride=self.strides,
                     dilation=self.dilation, groups=x.shape[1])
        if self.pointwise:
            y = F.conv2d(y, self.pointwise_weight, self.bias)
        return self.activation(y.movedim(1, -1))
`;
