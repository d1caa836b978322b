"""`python -m addons.server run ...`: Rasa's own command line, with addons.rasa_fixes applied first.

Takes exactly the arguments of `rasa` (for example `python -m addons.server run --model ...`).
"""

from __future__ import annotations


def main() -> None:
    from addons import rasa_fixes

    rasa_fixes.apply()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
