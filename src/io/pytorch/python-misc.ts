/**
 * The generated model.py's modules for the shape layers (zero padding, cropping, upsampling),
 * the advanced activations, the noise dropouts, layerNormalization, permute and repeatVector
 * (appended after the convolution runtime). Channels-last, as sinew.
 */
export const MISC_RUNTIME = String.raw`

# ----------------------------------------------------------------------------------------
# Shape layers, advanced activations, noise dropouts, layer normalization.


class ZeroPadding(SinewLayer):
    """padding: [[before, after]] per spatial axis of [batch, ..., channels]."""

    def __init__(self, name, padding, **options):
        super().__init__(name, **options)
        self.padding = [list(p) for p in padding]

    def forward(self, x):
        pads = [0, 0]
        for before, after in reversed(self.padding):
            pads.extend([before, after])
        return F.pad(x, pads)


class Cropping(SinewLayer):
    """cropping: [[start, end]] per spatial axis of [batch, ..., channels]."""

    def __init__(self, name, cropping, **options):
        super().__init__(name, **options)
        self.cropping = [list(c) for c in cropping]

    def forward(self, x):
        for axis, (start, end) in enumerate(self.cropping, start=1):
            x = x.narrow(axis, start, x.shape[axis] - start - end)
        return x


class UpSampling(SinewLayer):
    """Nearest repeats each row (and column) size times; bilinear is half-pixel sampling,
    Keras 3's and torch's align_corners=False."""

    def __init__(self, name, size, interpolation="nearest", **options):
        super().__init__(name, **options)
        self.size = list(size)
        self.interpolation = interpolation

    def forward(self, x):
        if self.interpolation == "nearest":
            for axis, n in enumerate(self.size, start=1):
                x = torch.repeat_interleave(x, n, dim=axis)
            return x
        y = F.interpolate(x.movedim(-1, 1), scale_factor=self.size, mode="bilinear",
                          align_corners=False)
        return y.movedim(1, -1)


class LeakyReLU(SinewLayer):
    def __init__(self, name, alpha, **options):
        super().__init__(name, **options)
        self.alpha = alpha

    def forward(self, x):
        return F.leaky_relu(x, negative_slope=self.alpha)


class ELU(SinewLayer):
    def __init__(self, name, alpha, **options):
        super().__init__(name, **options)
        self.alpha = alpha

    def forward(self, x):
        return F.elu(x, alpha=self.alpha)


class ReLU(SinewLayer):
    """Keras's ReLU: x above threshold (capped at max_value), negative_slope * (x - threshold)
    below it."""

    def __init__(self, name, max_value=None, negative_slope=0.0, threshold=0.0, **options):
        super().__init__(name, **options)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def forward(self, x):
        t = self.threshold
        y = torch.where(x > t, x, torch.zeros_like(x)) if t != 0 else F.relu(x)
        if self.max_value is not None:
            y = torch.clamp(y, min=0, max=self.max_value)
        if self.negative_slope != 0:
            y = y - F.relu(t - x) * self.negative_slope
        return y


class Softmax(SinewLayer):
    def __init__(self, name, axis=-1, **options):
        super().__init__(name, **options)
        self.axis = axis if isinstance(axis, list) else [axis]

    def forward(self, x):
        return torch.exp(x - torch.logsumexp(x, dim=self.axis, keepdim=True))


class PReLU(SinewLayer):
    """relu(x) - alpha * relu(-x); alpha has the input's shape without the batch axis (1 on
    the shared axes)."""

    def __init__(self, name, alpha_shape, alpha_regularizer=None, **options):
        super().__init__(name, **options)
        self.add_weight("weight", "alpha", torch.zeros(alpha_shape), alpha_regularizer)

    def forward(self, x):
        return F.relu(x) - self.weight * F.relu(-x)


class SpatialDropout(SinewLayer):
    """Drops whole channels: one Bernoulli(1 - rate) per sample and channel, kept ones scaled
    by 1 / (1 - rate); the identity at inference."""

    def __init__(self, name, rate, **options):
        super().__init__(name, **options)
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        shape = [x.shape[0]] + [1] * (x.dim() - 2) + [x.shape[-1]]
        keep = (torch.rand(shape, dtype=x.dtype) >= self.rate).to(x.dtype)
        return x * keep / (1 - self.rate)


class GaussianDropout(SinewLayer):
    """x * (1 + sqrt(rate / (1 - rate)) * N(0, 1)) in training, the identity otherwise."""

    def __init__(self, name, rate, **options):
        super().__init__(name, **options)
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        return x * (1 + math.sqrt(self.rate / (1 - self.rate)) * torch.randn_like(x))


class AlphaDropout(SinewLayer):
    """Keras's AlphaDropout: a * (x * keep + alpha' * (1 - keep)) + b in training."""

    ALPHA_PRIME = -1.6732632423543772 * 1.0507009873554805

    def __init__(self, name, rate, noise_shape=None, **options):
        super().__init__(name, **options)
        self.rate = rate
        self.noise_shape = noise_shape

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        shape = list(x.shape)
        if self.noise_shape is not None:
            shape = [n if d is None else d for d, n in zip(self.noise_shape, shape)]
        p = self.ALPHA_PRIME
        a = ((1 - self.rate) * (1 + self.rate * p ** 2)) ** -0.5
        b = -a * p * self.rate
        keep = (torch.rand(shape, dtype=x.dtype) >= self.rate).to(x.dtype)
        return x * (a * keep) + (a * p * (1 - keep) + b)


class LayerNormalization(SinewLayer):
    """(x - mean) / sqrt(var + epsilon) over the axes, then * gamma + beta (shaped as the
    normalized axes)."""

    def __init__(self, name, axis, shape, epsilon=1e-3, center=True, scale=True,
                 gamma_regularizer=None, beta_regularizer=None, **options):
        super().__init__(name, **options)
        self.axis = axis if isinstance(axis, list) else [axis]
        self.epsilon = epsilon
        if scale:
            self.add_weight("weight", "gamma", torch.ones(shape), gamma_regularizer)
        else:
            self.weight = None
        if center:
            self.add_weight("bias", "beta", torch.zeros(shape), beta_regularizer)
        else:
            self.bias = None

    def forward(self, x):
        axes = sorted(a % x.dim() for a in self.axis)
        broadcast = [d if i in axes else 1 for i, d in enumerate(x.shape)]
        mean = x.mean(dim=axes, keepdim=True)
        centred = x - mean
        var = centred.square().mean(dim=axes, keepdim=True)
        y = centred * torch.rsqrt(var + self.epsilon)
        if self.weight is not None:
            y = y * self.weight.reshape(broadcast)
        if self.bias is not None:
            y = y + self.bias.reshape(broadcast)
        return y


class Permute(SinewLayer):
    """dims: the permutation of the non-batch axes, counted from 1."""

    def __init__(self, name, dims, **options):
        super().__init__(name, **options)
        self.dims = [0] + list(dims)

    def forward(self, x):
        return x.permute(self.dims)


class RepeatVector(SinewLayer):
    def __init__(self, name, n, **options):
        super().__init__(name, **options)
        self.n = n

    def forward(self, x):
        return x.unsqueeze(1).expand(-1, self.n, -1)


class Embedding(SinewLayer):
    """Row x of the embeddings [input_dim, output_dim] for each integer id x (torch's
    nn.Embedding layout); the ids may arrive as floats (a .npy of float data)."""

    def __init__(self, name, input_dim, output_dim, embeddings_regularizer=None, **options):
        super().__init__(name, **options)
        self.add_weight("weight", "embeddings", torch.zeros(input_dim, output_dim),
                        embeddings_regularizer)

    def forward(self, x):
        return F.embedding(x.long(), self.weight)
`;
