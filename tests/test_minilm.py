"""The NumPy all-MiniLM-L6-v2 encoder (addons/nlu/minilm_encoder.py), whose first layers give the
intent classifier its sentence features (config.yml).

The reference vectors in tests/fixtures/minilm_reference.json were made by the real
sentence-transformers library (PyTorch) from the same files, by scripts/minilm_reference.py in a
separate Python 3.11 environment; our forward pass must reproduce them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from addons.nlu import minilm_encoder
from addons.nlu.minilm_encoder import EXPECTED_SHA256, ModelFileError, load_encoder, packaged_zip

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = json.loads((ROOT / "tests" / "fixtures" / "minilm_reference.json").read_text(encoding="utf-8"))

# make setup installs the package (requirements-minilm.txt); without it these tests fail, never skip.
PACKAGED_ZIP = packaged_zip()


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def test_embeddings_match_sentence_transformers(encoder):
    texts = [s["text"] for s in REFERENCE["sentences"]]
    reference = np.array([s["embedding"] for s in REFERENCE["sentences"]], dtype=np.float64)
    ours = encoder.encode(texts, batch_size=4)
    similarities = cosine(ours.astype(np.float64), reference)
    assert similarities.min() > 0.9999, dict(zip(texts, similarities.round(6), strict=True))
    # Unit length, as sentence-transformers' Normalize module leaves them.
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_token_counts_and_truncation_match_sentence_transformers(encoder):
    counts = [len(encoder.tokenize([s["text"]]).ids[0]) for s in REFERENCE["sentences"]]
    assert counts == [s["tokens"] for s in REFERENCE["sentences"]]
    # The set holds a message longer than the tokenizer file's own 128 and one cut at 256.
    assert max(counts) == REFERENCE["max_seq_length"] == encoder.max_length
    assert any(128 < n < 256 for n in counts)


def test_padding_does_not_change_the_embedding(encoder):
    text = "can u get hsct if ur ms is secondary progresive??"
    alone = encoder.encode([text])
    padded_to_128 = encoder.encode([text], pad_to=128)  # what the tokenizer file itself does
    with_a_long_neighbour = encoder.encode([text, "why " * 200], batch_size=2)[:1]
    assert np.abs(alone - padded_to_128).max() < 1e-5
    assert np.abs(alone - with_a_long_neighbour).max() < 1e-5


def test_the_attention_mask_is_what_keeps_padding_out(encoder):
    """Without the mask the padded positions would change the result: the test above can fail."""
    text = "What is AHSCT?"
    batch = encoder.tokenize([text], pad_to=128)
    masked = encoder.mean_pool(encoder.hidden_states(batch), batch.mask)
    batch.mask[:] = 1.0  # pretend the padding were real tokens
    unmasked = encoder.mean_pool(encoder.hidden_states(batch), batch.mask)
    assert cosine(masked, encoder.encode([text]))[0] > 0.99999
    assert cosine(masked, unmasked)[0] < 0.99


def _copy_with(tmp_path: Path, changed: str) -> Path:
    """A copy of the package's model.zip in which one byte of `changed` differs."""
    target = tmp_path / "model.zip"
    with zipfile.ZipFile(PACKAGED_ZIP) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == changed:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
            copy.writestr(info.filename, data)
    return target


@pytest.mark.parametrize("changed", sorted(EXPECTED_SHA256))
def test_a_tampered_file_is_refused(tmp_path, changed):
    tampered = _copy_with(tmp_path, changed)
    with pytest.raises(ModelFileError, match=f"Refusing to load all-MiniLM-L6-v2: {changed}"):
        load_encoder(tampered)
    assert str(tampered.resolve()) not in minilm_encoder._CACHE


def test_a_zip_without_the_model_is_refused(tmp_path):
    empty = tmp_path / "model.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(ModelFileError, match="Cannot read"):
        load_encoder(empty)


def test_loaded_once_per_process_and_not_at_import(encoder):
    assert load_encoder() is encoder
    assert load_encoder(PACKAGED_ZIP) is encoder
    # Importing reads no file: no model library yet, nothing cached, even with the Rasa component.
    code = (
        "import sys; import addons.nlu.minilm_encoder as m; "
        "assert 'tokenizers' not in sys.modules and 'safetensors' not in sys.modules; "
        "import addons.nlu.linear_classifier; assert not m._CACHE and 'all_minilm_l6_v2' not in sys.modules; "
        "print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


# --- the Rasa component -------------------------------------------------------------------------


def test_the_first_layers_give_a_different_unit_length_embedding(encoder):
    texts = ["how much does hsct cost", "is it safe"]
    full, first_four = encoder.encode(texts), encoder.encode(texts, layers=4)
    assert np.allclose(np.linalg.norm(first_four, axis=1), 1.0, atol=1e-5)
    assert cosine(full, first_four).max() < 0.999  # the layers option is applied
    assert np.abs(encoder.encode(texts, layers=6) - full).max() < 1e-6  # all 6 layers: the model's own
