// Adam in the Keras form, written with TensorFlow.js ops, for the loss-parity run of the
// benchmark. sinew's adam (like Keras) adds ε to the uncorrected √v: w ← w − α·m / (√v + ε)
// with α = lr·√(1 − β2^t) / (1 − β1^t); tf.train.adam adds ε to the corrected √v̂. The two
// agree only when ε = 0, and ε = 0 divides 0 by 0 on the weights of the always-blank border
// pixels, so to train the same computation as sinew TF.js needs this form.
import * as tf from '@tensorflow/tfjs';

export interface Minimizer {
  minimize(f: () => tf.Scalar, returnCost: true): tf.Scalar | null;
}

export function kerasAdam(lr: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): Minimizer {
  const slots = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  let t = 0;
  return {
    minimize(f) {
      const { value, grads } = tf.variableGrads(f);
      t++;
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      tf.tidy(() => {
        for (const [name, g] of Object.entries(grads)) {
          const w = tf.engine().registeredVariables[name]!;
          let s = slots.get(name);
          if (!s) {
            s = { m: tf.variable(tf.zerosLike(w), false), v: tf.variable(tf.zerosLike(w), false) };
            slots.set(name, s);
          }
          const m = tf.add(s.m, tf.mul(tf.sub(g, s.m), 1 - beta1));
          const v = tf.add(s.v, tf.mul(tf.sub(tf.square(g), s.v), 1 - beta2));
          s.m.assign(m);
          s.v.assign(v);
          w.assign(tf.sub(w, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), epsilon))));
        }
      });
      tf.dispose(grads);
      return value;
    },
  };
}
