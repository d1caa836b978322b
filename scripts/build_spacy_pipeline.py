"""Build the project's own spaCy pipeline from the knowledge file's terms.

blank English tokenizer + lookup lemmatizer (tables from spacy-lookups-data,
stored inside the pipeline so nothing is fetched at run time) + an entity ruler
whose patterns are generated from `terms` in knowledge/ahsct.yml.

The pipeline and build/spacy/fingerprint.txt are rewritten only when the
patterns (or the spaCy version) change, so `make train` retrains only when the
terms change, not when an answer's wording does.

Usage: python scripts/build_spacy_pipeline.py [knowledge/ahsct.yml] [build/spacy]
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.knowledge import Knowledge, KnowledgeError, load_knowledge

logger = logging.getLogger("build_spacy_pipeline")
BUILDER_VERSION = "1"
PIPELINE_NAME = "ahsct_en"


def ruler_patterns(knowledge: Knowledge, nlp) -> list[dict]:
    """Token patterns, one per synonym, matched on lower-cased text."""
    patterns = []
    for label, by_value in sorted(knowledge.terms.items()):
        for value, synonyms in sorted(by_value.items()):
            for synonym in sorted(set(synonyms)):
                tokens = [t.text for t in nlp.make_doc(synonym)]
                patterns.append({"label": label, "id": value, "pattern": [{"LOWER": t} for t in tokens]})
    return patterns


def build(knowledge_path: Path, out_dir: Path) -> bool:
    import spacy

    knowledge = load_knowledge(knowledge_path)
    nlp = spacy.blank("en")
    patterns = ruler_patterns(knowledge, nlp)
    fingerprint = hashlib.sha256(
        json.dumps([BUILDER_VERSION, spacy.__version__, patterns], sort_keys=True).encode()
    ).hexdigest()
    fp_file = out_dir / "fingerprint.txt"
    target = out_dir / PIPELINE_NAME
    if fp_file.exists() and fp_file.read_text().strip() == fingerprint and (target / "meta.json").exists():
        logger.info("spaCy pipeline %s is up to date", target)
        return False

    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "overwrite_ents": True})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data into the pipeline
    ruler.add_patterns(patterns)
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English + lookup lemmatizer + entity ruler built from knowledge/ahsct.yml terms"
    tmp = out_dir / (PIPELINE_NAME + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(tmp)
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    fp_file.write_text(fingerprint + "\n")
    logger.info("built spaCy pipeline %s with %d entity patterns", target, len(patterns))
    return True


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    knowledge_path = Path(argv[1] if len(argv) > 1 else "knowledge/ahsct.yml")
    out_dir = Path(argv[2] if len(argv) > 2 else "build/spacy")
    try:
        build(knowledge_path, out_dir)
    except KnowledgeError as exc:
        logger.error("Invalid knowledge file:\n%s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
