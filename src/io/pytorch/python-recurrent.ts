/**
 * The recurrent part of the generated model.py: SimpleRNN, LSTM and GRU as explicit loops over
 * the time steps with Keras's gate order (LSTM i, f, c, o; GRU z, r, h, resetAfter or not), so
 * the formulas are sinew's exactly. Weights are kept as torch's RNN keeps them: weight_ih
 * [gates · units, features] and weight_hh [gates · units, units] (the transposes of sinew's
 * kernel and recurrent_kernel), bias as sinew's (GRU with resetAfter: [2, 3 · units], the
 * input bias then the recurrent one).
 */
export const RECURRENT_RUNTIME = String.raw`

# ----------------------------------------------------------------------------------------
# Recurrent layers: an explicit loop over the time steps, zero initial states.


class Recurrent(SinewLayer):
    GATES = {"simple": 1, "lstm": 4, "gru": 3}

    def __init__(self, name, kind, in_features, units, activation="tanh",
                 activation_config=None, recurrent_activation="sigmoid",
                 recurrent_activation_config=None, use_bias=True, reset_after=True,
                 return_sequences=False, go_backwards=False, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, **options):
        super().__init__(name, **options)
        gates = self.GATES[kind]
        self.kind = kind
        self.units = units
        self.reset_after = reset_after
        self.return_sequences = return_sequences
        self.go_backwards = go_backwards
        self.add_weight("weight_ih", "kernel", torch.zeros(gates * units, in_features),
                        kernel_regularizer)
        self.add_weight("weight_hh", "recurrent_kernel", torch.zeros(gates * units, units),
                        recurrent_regularizer)
        if use_bias:
            shape = [2, 3 * units] if kind == "gru" and reset_after else [gates * units]
            self.add_weight("bias", "bias", torch.zeros(shape), bias_regularizer)
        else:
            self.bias = None
        self.activation = globals()["activation"](activation, **(activation_config or {}))
        self.recurrent_activation = globals()["activation"](
            recurrent_activation, **(recurrent_activation_config or {}))

    def keras_layout(self, torch_name, value):
        return value.t() if torch_name in ("weight_ih", "weight_hh") else value

    def forward(self, x):
        if self.go_backwards:
            x = x.flip(1)
        split = self.kind == "gru" and self.reset_after and self.bias is not None
        input_bias = self.bias[0] if split else self.bias
        recurrent_bias = self.bias[1] if split else None
        xp = F.linear(x, self.weight_ih, input_bias)
        u = self.units
        act, ract = self.activation, self.recurrent_activation
        h = x.new_zeros(x.shape[0], u)
        c = x.new_zeros(x.shape[0], u)
        outputs = []
        for t in range(x.shape[1]):
            xt = xp[:, t]
            if self.kind == "simple":
                h = act(xt + F.linear(h, self.weight_hh))
            elif self.kind == "lstm":
                zi, zf, zc, zo = (xt + F.linear(h, self.weight_hh)).chunk(4, dim=-1)
                c = ract(zf) * c + ract(zi) * act(zc)
                h = ract(zo) * act(c)
            else:
                xz, xr, xh = xt.chunk(3, dim=-1)
                if self.reset_after:
                    iz, ir, ih = F.linear(h, self.weight_hh, recurrent_bias).chunk(3, dim=-1)
                    z = ract(xz + iz)
                    r = ract(xr + ir)
                    hh = act(xh + r * ih)
                else:
                    iz, ir = F.linear(h, self.weight_hh[:2 * u]).chunk(2, dim=-1)
                    z = ract(xz + iz)
                    r = ract(xr + ir)
                    hh = act(xh + F.linear(r * h, self.weight_hh[2 * u:]))
                h = hh + z * (h - hh)
            outputs.append(h)
        return torch.stack(outputs, dim=1) if self.return_sequences else h
`;
