#!/bin/sh
# Removes from the image's virtual environment what only building needs (Dockerfile, build stage;
# the run-time stage copies what is left). Each removal is checked by `make image-test`, which
# starts the image and asks it a question.
#   - jax, jaxlib: TensorFlow 2.12 requires them for jax2tf only, which Rasa never imports.
#   - libclang: TensorFlow's build-time C++ parser.
#   - tensorflow/include: C++ headers, for compiling against TensorFlow.
#   - spacy-lookups-data: its tables are copied into build/spacy at training (nlp.initialize).
#   - tensorboard-data-server: the TensorBoard server's binary (TensorBoard is never served), and
#     hf-xet: Hugging Face's download client (nothing is downloaded at run time).
#   - pip and wheel: nothing is installed at run time (setuptools stays: Rasa imports pkg_resources).
#   - test suites of the packages, and debug symbols of their shared libraries.
set -eu
venv="$1"
site="$venv/lib/python3.10/site-packages"
"$venv/bin/pip" uninstall --quiet --yes jax jaxlib libclang spacy-lookups-data tensorboard-data-server hf-xet
rm -rf "$site/tensorflow/include"
# Only directories named "tests": some packages import modules from directories named "test"
# (tensorflow/_api/v2/__internal__/test), which would break TensorFlow's import.
find "$site" -depth -type d -name tests -path '*/site-packages/*/*' -exec rm -rf {} +
find "$site" -name '*.so*' -type f -exec strip --strip-unneeded {} + 2>/dev/null || true
"$venv/bin/pip" uninstall --quiet --yes pip wheel 2>/dev/null || true
