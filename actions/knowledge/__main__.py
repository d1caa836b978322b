"""python -m actions.knowledge [FILE] [--today YYYY-MM-DD]: check the knowledge file, then what is stale."""

import sys

from actions.knowledge.loader import main

if __name__ == "__main__":  # rasa_sdk imports every module of `actions` when the action server starts
    sys.exit(main(sys.argv))
