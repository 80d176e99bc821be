"""Random valid dmc graphs over the whole op vocabulary (docs/op-vocabulary.md).

A graph holds several independent chains (one g++ compile tests them all). Each chain starts from an
input and grows by random steps: single ops (element-wise with broadcasting, Reduce*, Softmax with any
axis, LayerNormalization, Transpose, Reshape, Slice, Concat, MatMul, Gemm) and the blocks the -O3
fusions look for (attention with generated and additive masks, multi-head attention with head
split/merge layouts, MLPs with bias and activation). Symbols are shared by the chains; some are left
null, so they are run-time arguments of the library. Some dims are large enough for the tiled kernels.

Inputs stay well-conditioned: each tensor carries a typical magnitude and a lower bound (when positive);
a tensor too large for Exp/Softmax/LayerNorm is scaled down first, and Sqrt, Reciprocal and divisors get
a positive operand (0.5 * tanh(x) + 1.5 when nothing positive is at hand).
"""
import math
import random

UNARY = ["Exp", "Tanh", "Erf", "Relu", "Sqrt", "Reciprocal", "Gelu", "Elu", "Scale"]
BINARY = ["Add", "Sub", "Mul", "Div"]
# Step kinds and weights.
STEPS = [("unary", 10), ("binary", 10), ("matmul", 7), ("gemm", 3), ("attention", 5), ("mha", 3), ("mlp", 4),
         ("layernorm", 3), ("softmax", 4), ("reduce", 4), ("transpose", 5), ("reshape", 5), ("slice", 5),
         ("concat", 4)]
TINY_STEPS = [("unary", 10), ("binary", 4), ("transpose", 2), ("reshape", 2), ("slice", 2)]


class Tensor:
    """mag: a typical magnitude; lo: a lower bound when the tensor is positive, else 0 (no bound)."""

    def __init__(self, name, shape, mag, lo=0.0):
        self.name, self.shape, self.mag, self.lo = name, list(shape), mag, lo


class Generator:
    def __init__(self, seed, big=True):
        self.rng = random.Random(seed)
        # Draws added later come from streams of their own, so that older seeds keep their graphs.
        self.weight_rng = random.Random(seed * 7919 + 3)
        self.seed = seed
        self.big = big
        self.inputs, self.nodes, self.tensors = [], [], {}
        self.input_kind = {}  # name -> "normal" | "positive"
        self.symbols, self.runtime = {}, set()
        self.tiny = False
        names = ["B", "S", "T", "D"]
        for name in names[: self.rng.randint(1, 4)]:
            value = self.rng.choice([1, 2, 3]) if name == "B" else self.rng.randint(2, 24)
            if name in ("S", "T") and big and self.rng.random() < 0.25:
                value = self.rng.randint(60, 140)
            self.symbols[name] = value
            if self.rng.random() < 0.35:
                self.runtime.add(name)

    # --- shapes -------------------------------------------------------------------------------------
    def value(self, d):
        return self.symbols[d] if isinstance(d, str) else d

    def numel(self, shape):
        return math.prod(self.value(d) for d in shape)

    def fixed(self, d):
        """Known when the library is compiled: a constant or a bound symbol."""
        return not isinstance(d, str) or d not in self.runtime

    def dim(self, large=False):
        """A new dim: a symbol or a constant; large ones reach the tiled kernels' edge cases."""
        if self.symbols and self.rng.random() < 0.35:
            return self.rng.choice(sorted(self.symbols))
        if large and self.big and self.rng.random() < 0.3:
            return self.rng.randint(33, 150)
        return self.rng.randint(1, 12)

    # --- graph building -----------------------------------------------------------------------------
    def new_input(self, shape, positive=False):
        name = "in%d" % len(self.inputs)
        self.inputs.append({"name": name, "dtype": "f32", "shape": list(shape)})
        self.input_kind[name] = "positive" if positive else "normal"
        t = Tensor(name, shape, 2.0 if positive else 1.0, 0.5 if positive else 0.0)
        self.tensors[name] = t
        return t

    def weight(self, shape):
        """A new input for a matmul's weight; one in two goes through Tanh or Scale first, work that
        reads nothing but the input, so it runs once per handle where the input is constant."""
        w = self.new_input(shape)
        r = self.weight_rng.random()
        if r < 0.25:
            return self.node("Tanh", [w], shape, 1.0)
        if r < 0.5:
            return self.node("Scale", [w], shape, 0.5, alpha=0.5)
        return w

    def node(self, op, ins, out_shape, mag, lo=0.0, **attrs):
        name = "n%d" % len(self.nodes)
        self.nodes.append({"name": name, "op": op, "inputs": [t.name for t in ins], "outputs": [name],
                           "attrs": attrs})
        t = Tensor(name, out_shape, max(mag, 1e-3), lo)
        self.tensors[name] = t
        return t

    def tame(self, x, limit=4.0):
        """x scaled down to a typical magnitude of about 1 when it is larger than `limit`."""
        if x.mag <= limit:
            return x
        alpha = float("%.3g" % (1.0 / x.mag))
        return self.node("Scale", [x], x.shape, 1.0, x.lo * alpha, alpha=alpha)

    def positive(self, x):
        if x.lo >= 0.1:
            return x
        t = self.node("Tanh", [self.tame(x)], x.shape, 1.0)
        return self.node("Scale", [t], x.shape, 2.0, 1.0, alpha=0.5, bias=1.5)

    def broadcast_partner(self, x, pool):
        """A tensor broadcasting with x: an existing one of its shape, or a new input of its shape, a
        suffix of it, or it with some dims 1."""
        same = [t for t in pool if t.shape == x.shape and t is not x]
        r = self.rng.random()
        if same and r < 0.3:
            return self.rng.choice(same)
        if r < 0.55 or not x.shape:
            return self.new_input(x.shape, positive=self.rng.random() < 0.3)
        if r < 0.8:
            return self.new_input(x.shape[self.rng.randint(0, len(x.shape) - 1):])
        return self.new_input([1 if self.rng.random() < 0.5 else d for d in x.shape])

    # --- steps: each takes x (and the chain's pool) and returns the new tensor, or None -------------
    def step_unary(self, x, pool):
        op = self.rng.choice(UNARY)
        if op == "Scale":
            alpha, bias = self.rng.choice([-2.0, -0.5, 0.25, 1.5]), self.rng.choice([0.0, 0.0, 0.5, -1.0])
            lo = alpha * x.lo + bias if alpha > 0 and x.lo > 0 and bias >= 0 else 0.0
            return self.node(op, [x], x.shape, abs(alpha) * x.mag + abs(bias), lo, alpha=alpha, bias=bias)
        if op in ("Sqrt", "Reciprocal"):
            x = self.positive(self.tame(x, 100.0))
            if op == "Sqrt":
                return self.node(op, [x], x.shape, math.sqrt(x.mag), math.sqrt(x.lo))
            return self.node(op, [x], x.shape, 1.0 / x.lo, 1.0 / x.mag)
        x = self.tame(x)
        if op == "Exp":
            return self.node(op, [x], x.shape, math.exp(x.mag), math.exp(-x.mag))
        if op in ("Tanh", "Erf"):
            return self.node(op, [x], x.shape, 1.0)
        if op == "Gelu":
            return self.node(op, [x], x.shape, x.mag, approximate=self.rng.choice(["none", "tanh"]))
        if op == "Elu":
            return self.node(op, [x], x.shape, x.mag + 1, alpha=self.rng.choice([1.0, 0.5]))
        return self.node(op, [x], x.shape, x.mag)

    def step_binary(self, x, pool):
        op = self.rng.choice(BINARY)
        y = self.broadcast_partner(x, pool)
        if op == "Div":
            y = self.positive(self.tame(y, 100.0))
        a, b = (x, y) if self.rng.random() < 0.7 else (y, x)
        if op == "Div" and b is x:
            a, b = x, y
        rank = max(len(a.shape), len(b.shape))
        pa, pb = [1] * (rank - len(a.shape)) + a.shape, [1] * (rank - len(b.shape)) + b.shape
        shape = [db if da == 1 else da for da, db in zip(pa, pb)]
        if op in ("Add", "Sub"):
            lo = a.lo + b.lo if op == "Add" and a.lo > 0 and b.lo > 0 else 0.0
            return self.node(op, [a, b], shape, a.mag + b.mag, lo)
        if op == "Mul":
            return self.node(op, [a, b], shape, a.mag * b.mag, a.lo * b.lo)
        return self.node(op, [a, b], shape, a.mag / b.lo, a.lo / b.mag)

    def matmul(self, a, b_shape, trans_b, alpha=1.0, b=None):
        """a @ (new input or b of b_shape) for rank >= 2 a."""
        b = b or self.weight(b_shape)
        k = self.value(a.shape[-1])
        n = b_shape[-2] if trans_b else b_shape[-1]
        rank = max(len(a.shape), len(b_shape))
        pa = [1] * (rank - len(a.shape)) + a.shape[:-2]
        pb = [1] * (rank - len(b_shape)) + b_shape[:-2]
        batch = [db if da == 1 else da for da, db in zip(pa, pb)][: rank - 2]
        attrs = {"transB": 1} if trans_b else {}
        if alpha != 1.0:
            attrs["alpha"] = alpha
        return self.node("MatMul", [a, b], batch + [a.shape[-2], n], abs(alpha) * math.sqrt(k) * a.mag * b.mag, **attrs)

    def step_matmul(self, x, pool):
        if len(x.shape) < 2:
            return None
        x = self.tame(x)
        if self.rng.random() < 0.15:  # a rank-2 weight on the left (Linformer's Ek @ K)
            m = self.dim(large=True)
            w = self.weight([m, x.shape[-2]])
            return self.node("MatMul", [w, x], x.shape[:-2] + [m, x.shape[-1]],
                             math.sqrt(self.value(x.shape[-2])) * x.mag)
        if self.rng.random() < 0.2:  # transA: x is read as [..., K, M]
            n = self.dim(large=True)
            w = self.weight([x.shape[-2], n])
            return self.node("MatMul", [x, w], x.shape[:-2] + [x.shape[-1], n],
                             math.sqrt(self.value(x.shape[-2])) * x.mag, transA=1)
        n = self.dim(large=True)
        trans_b = self.rng.random() < 0.3
        last = [n, x.shape[-1]] if trans_b else [x.shape[-1], n]
        batch = []
        if len(x.shape) > 2 and self.rng.random() < 0.4:
            batch = [1 if self.rng.random() < 0.4 else d for d in x.shape[:-2]]
        alpha = self.rng.choice([1.0, 1.0, 0.5, -0.25])
        return self.matmul(x, batch + last, trans_b, alpha)

    def step_gemm(self, x, pool):
        if len(x.shape) != 2:
            return None
        x = self.tame(x)
        trans_a, trans_b = self.rng.random() < 0.3, self.rng.random() < 0.3
        m, k = (x.shape[1], x.shape[0]) if trans_a else (x.shape[0], x.shape[1])
        n = self.dim(large=True)
        w = self.weight([n, k] if trans_b else [k, n])
        ins, attrs = [x, w], {}
        if trans_a:
            attrs["transA"] = 1
        if trans_b:
            attrs["transB"] = 1
        if self.rng.random() < 0.5:
            attrs["alpha"] = self.rng.choice([0.5, 2.0])
        if self.rng.random() < 0.7:
            ins.append(self.new_input(self.rng.choice([[n], [m, n], [1, n]])))
            if self.rng.random() < 0.4:
                attrs["beta"] = self.rng.choice([0.5, -1.0])
        return self.node("Gemm", ins, [m, n], 2 * math.sqrt(self.value(k)) * x.mag + 2, **attrs)

    def mask_attrs(self):
        attrs = {}
        if self.rng.random() < 0.5:
            attrs["causal"] = 1
        if self.rng.random() < 0.3:
            attrs["window"] = self.rng.randint(0, 6)
        if self.rng.random() < 0.25:
            attrs["stride"] = self.rng.randint(1, 4)
        if self.rng.random() < 0.25:
            attrs["global_tokens"] = sorted(self.rng.sample(range(4), self.rng.randint(1, 2)))
        return attrs

    def attention(self, q, k, v, k_transposed=False):
        """softmax(scale * q @ k^T (+ mask)) @ v on [..., S, D] operands: the pattern fuse-attention finds."""
        d = self.value(q.shape[-1])
        scale = float("%.4g" % (1 / math.sqrt(d)))
        sq, sk = q.shape[-2], (k.shape[-1] if k_transposed else k.shape[-2])
        on_matmul = self.rng.random() < 0.5
        if k_transposed:
            scores = self.matmul(q, k.shape, False, scale if on_matmul else 1.0, b=k)
        else:
            scores = self.matmul(q, k.shape, True, scale if on_matmul else 1.0, b=k)
        attrs = self.mask_attrs()
        if not on_matmul:
            attrs["scale"] = scale
        ins = [scores]
        if self.rng.random() < 0.25:
            ins.append(self.new_input(self.rng.choice([[sq, sk], [1, sk]])))
        probs = self.node("Softmax", ins, scores.shape, 1.0, **attrs)
        return self.matmul(probs, v.shape, False, b=v)

    def step_attention(self, x, pool):
        if len(x.shape) < 2:
            return None
        q = self.tame(x)
        if self.rng.random() < 0.3:  # self-attention
            return self.attention(q, q, q)
        batch = [1 if self.rng.random() < 0.2 else d for d in q.shape[:-2]]
        sk, dv = self.dim(large=True), self.dim()
        if self.rng.random() < 0.25:
            kt = self.new_input(batch + [q.shape[-1], sk])
            return self.attention(q, kt, self.new_input(batch + [sk, dv]), k_transposed=True)
        return self.attention(q, self.new_input(batch + [sk, q.shape[-1]]), self.new_input(batch + [sk, dv]))

    def step_mha(self, x, pool):
        """x [B, S, E] -> projections, heads split (Reshape + Transpose), attention, heads merged."""
        if len(x.shape) != 3 or not isinstance(x.shape[2], int) or x.shape[2] % 2:
            return None
        b, s, e = x.shape
        h = self.rng.choice([h for h in (1, 2, 4) if e % h == 0])
        x = self.tame(x)

        def heads(proj):
            split = self.node("Reshape", [proj], [b, s, h, e // h], proj.mag, shape=[b, s, h, e // h])
            return self.node("Transpose", [split], [b, h, s, e // h], proj.mag, perm=[0, 2, 1, 3])

        q, k, v = (heads(self.tame(self.matmul(x, [e, e], False))) for _ in range(3))
        ctx = self.attention(q, k, v)
        merged = self.node("Transpose", [ctx], [b, s, h, e // h], ctx.mag, perm=[0, 2, 1, 3])
        target = [b, s, -1] if self.rng.random() < 0.5 else [b, s, e]
        flat = self.node("Reshape", [merged], [b, s, e], ctx.mag, shape=target)
        return self.matmul(flat, [e, e], False)

    def step_mlp(self, x, pool):
        if len(x.shape) < 2:
            return None
        x = self.tame(x)
        hidden, n = self.dim(large=True), self.rng.choice([x.shape[-1], self.dim()])
        y = self.matmul(x, [x.shape[-1], hidden], False)
        y = self.node("Add", [y, self.new_input([hidden])], y.shape, y.mag + 1)
        act = self.rng.choice(["Relu", "Gelu", "Gelu_tanh", "none"])
        if act == "Gelu_tanh":
            y = self.node("Gelu", [y], y.shape, y.mag, approximate="tanh")
        elif act != "none":
            y = self.node(act, [y], y.shape, y.mag)
        y = self.matmul(self.tame(y), [hidden, n], False)
        if self.rng.random() < 0.6:
            y = self.node("Add", [y, self.new_input([n])], y.shape, y.mag + 1)
        if n == x.shape[-1] and self.rng.random() < 0.5:
            y = self.node("Add", [y, x], y.shape, y.mag + x.mag)
        return y

    def step_layernorm(self, x, pool):
        if not x.shape:
            return None
        x = self.tame(x)
        n = x.shape[-1]
        attrs = {"epsilon": 1e-3} if self.rng.random() < 0.3 else {}
        return self.node("LayerNormalization", [x, self.new_input([n]), self.new_input([n])], x.shape,
                         math.sqrt(self.value(n)) + 1, **attrs)

    def step_softmax(self, x, pool):
        if not x.shape:
            return None
        x = self.tame(x)
        rank = len(x.shape)
        attrs = {}
        if self.rng.random() < 0.5:
            attrs["axis"] = self.rng.randint(-rank, rank - 1)
        if self.rng.random() < 0.4:
            attrs["scale"] = self.rng.choice([0.5, 2.0, -1.0])
        ins = [x]
        if rank >= 2 and attrs.get("axis", -1) in (-1, rank - 1) and self.rng.random() < 0.4:
            attrs.update(self.mask_attrs())
        if self.rng.random() < 0.2:
            ins.append(self.new_input([1 if self.rng.random() < 0.5 else d for d in x.shape]))
        return self.node("Softmax", ins, x.shape, 1.0, **attrs)

    def step_reduce(self, x, pool):
        if not x.shape:
            return None
        op = self.rng.choice(["ReduceSum", "ReduceMax", "ReduceMean"])
        rank = len(x.shape)
        axes = sorted(self.rng.sample(range(rank), self.rng.randint(1, rank)))
        keep = self.rng.random() < 0.5
        shape = [1 if i in axes else d for i, d in enumerate(x.shape)] if keep else \
            [d for i, d in enumerate(x.shape) if i not in axes]
        attrs = {"axes": [a - rank if self.rng.random() < 0.3 else a for a in axes]}
        if not keep:
            attrs["keepdims"] = 0
        n = math.prod(self.value(x.shape[a]) for a in axes)
        mag = x.mag * math.sqrt(n) if op == "ReduceSum" else x.mag
        return self.node(op, [x], shape, mag, x.lo * (n if op == "ReduceSum" else 1), **attrs)

    def step_transpose(self, x, pool):
        if len(x.shape) < 2:
            return None
        perm = list(range(len(x.shape)))
        while perm == sorted(perm):
            self.rng.shuffle(perm)
        return self.node("Transpose", [x], [x.shape[p] for p in perm], x.mag, x.lo, perm=perm)

    def step_reshape(self, x, pool):
        shape, r, rank = list(x.shape), self.rng.random(), len(x.shape)
        if r < 0.35 and rank >= 2:  # merge two adjacent dims
            i = self.rng.randint(0, rank - 2)
            a, b = shape[i], shape[i + 1]
            merged = a * b if isinstance(a, int) and isinstance(b, int) else -1
            target = shape[:i] + [merged] + shape[i + 2:]
            out = shape[:i] + [self.value(a) * self.value(b) if merged == -1 else merged] + shape[i + 2:]
            if merged == -1 and not all(self.fixed(d) for d in (a, b)):
                return None
        elif r < 0.65:  # split a constant dim
            cands = [i for i, d in enumerate(shape)
                     if isinstance(d, int) and d > 1 and any(d % f == 0 for f in range(2, d))]
            if not cands:
                return None
            i = self.rng.choice(cands)
            f = self.rng.choice([f for f in range(2, shape[i]) if shape[i] % f == 0])
            target = out = shape[:i] + [f, shape[i] // f] + shape[i + 1:]
        elif r < 0.8:  # a unit dim
            i = self.rng.randint(0, rank)
            target = out = shape[:i] + [1] + shape[i:]
        else:  # flatten
            if not all(self.fixed(d) for d in shape):
                return None
            target, out = [-1], [self.numel(shape)]
        return self.node("Reshape", [x], out, x.mag, x.lo, shape=target)

    def step_slice(self, x, pool):
        axes = [i for i, d in enumerate(x.shape) if self.fixed(d)]
        if not axes:
            return None
        shape, starts, ends, chosen = list(x.shape), [], [], []
        for ax in self.rng.sample(axes, self.rng.randint(1, min(2, len(axes)))):
            n = self.value(shape[ax])
            s = 0 if self.rng.random() < 0.4 else self.rng.randint(0, n - 1)
            e = self.rng.randint(s + 1, n)
            shape[ax] = e - s
            if self.rng.random() < 0.3:
                s -= n
            if e == n and self.rng.random() < 0.3:
                e = n + 7  # clamps
            elif e < n and self.rng.random() < 0.3:
                e -= n
            starts.append(s), ends.append(e), chosen.append(ax - len(shape) if self.rng.random() < 0.2 else ax)
        return self.node("Slice", [x], shape, x.mag, x.lo, starts=starts, ends=ends, axes=chosen)

    def step_concat(self, x, pool):
        """x with new inputs or tensors of its shape along an axis whose size is known at compile time."""
        axes = [i for i, d in enumerate(x.shape) if self.fixed(d)]
        if not axes:
            return None
        rank, axis = len(x.shape), self.rng.choice(axes)
        ins = [x]
        for _ in range(self.rng.randint(0, 2)):
            if self.rng.random() < 0.7:
                ins.append(self.new_input(x.shape[:axis] + [self.rng.randint(1, 9)] + x.shape[axis + 1:]))
            else:
                ins.append(self.rng.choice([t for t in pool if t.shape == x.shape]))
        total = sum(self.value(t.shape[axis]) for t in ins)
        self.rng.shuffle(ins)
        return self.node("Concat", ins, x.shape[:axis] + [total] + x.shape[axis + 1:], max(t.mag for t in ins),
                         min(t.lo for t in ins), axis=axis - rank if self.rng.random() < 0.3 else axis)

    # --- the graph ----------------------------------------------------------------------------------
    def chain(self, steps):
        rank = self.rng.choice([2, 2, 3, 3, 4, 1])
        shape = [self.dim(large=i >= rank - 2) for i in range(rank)]
        pool = [self.new_input(shape, positive=self.rng.random() < 0.2)]
        x = pool[0]
        kinds, weights = zip(*(TINY_STEPS if self.tiny else STEPS))
        for _ in range(steps):
            for _attempt in range(8):
                kind = self.rng.choices(kinds, weights)[0]
                saved = (len(self.nodes), len(self.inputs))
                y = getattr(self, "step_" + kind)(x, pool)
                if y is not None and self.numel(y.shape) <= 400000:
                    break
                self.rollback(*saved)
            else:
                continue
            pool.append(y)
            x = y if self.rng.random() < (0.4 if self.tiny else 0.7) else self.rng.choice(pool)
        return pool

    def rollback(self, n_nodes, n_inputs):
        for n in self.nodes[n_nodes:]:
            del self.tensors[n["outputs"][0]]
        for i in self.inputs[n_inputs:]:
            del self.tensors[i["name"]]
        del self.nodes[n_nodes:], self.inputs[n_inputs:]

    def graph(self, chains, steps):
        outputs = []
        for _ in range(chains):
            pool = self.chain(self.rng.randint(*steps))
            made = [t for t in pool if t.name.startswith("n")]
            if not made:
                continue
            chosen = {made[-1].name} | {t.name for t in made if self.rng.random() < 0.15}
            # Every other node output that nothing reads stays dead on purpose (passes must cope).
            outputs += [t for t in made if t.name in chosen]
        if not outputs:
            return self.graph(chains, steps)
        used = {t for n in self.nodes for t in n["inputs"]}
        return {
            "name": "fuzz%d" % self.seed,
            "doc": "random graph, test/fuzz/random_graphs.py seed %d" % self.seed,
            "symbols": {s: (None if s in self.runtime else v) for s, v in self.symbols.items()},
            "inputs": [i for i in self.inputs if i["name"] in used],
            "outputs": [{"name": t.name, "dtype": "f32", "shape": t.shape} for t in outputs],
            "nodes": self.nodes,
        }


def generate(seed, chains=3, steps=(2, 6), big=True):
    """(graph, run-time symbol values, input kinds) for one seed. One seed in eight gives a tiny graph
    instead (one chain of 1-3 element-wise steps, often side by side on one tensor): the corners where
    a whole graph fuses into one map."""
    g = Generator(seed, big)
    if seed % 8 == 0:
        g.tiny = True
        chains, steps = 1, (1, 3)
    graph = g.graph(chains, steps)
    # About one input in two is a constant argument (docs/graph-format.md), drawn from a stream of its
    # own so that the rest of a seed's graph stays as it was: work on constants then runs once per
    # handle (run-constant-maps-once), and random_graphs.py checks the second run's outputs.
    marks = random.Random(seed * 7919 + 2)
    for i in graph["inputs"]:
        if marks.random() < 0.5:
            i["constant"] = True
    return graph, dict(g.symbols), g.input_kind
