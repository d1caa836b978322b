"""Tooling around the assistant, never loaded by Rasa: the process supervisor behind `make run`
and the tests (stack.py), the scale-out set-up (scaleout.py), and NLU scoring (evaluation.py)."""
