"""``tip evaluate``: TIP's analyses on an evaluator's own CSV files, with JSON output.

Each sub-command is a module here with ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(options) -> Output``; ``common`` reads the files and turns bad input into a message that
names the column or row (exit code 2, never a traceback). The command is
``tip.evaluation.management.commands.evaluate``.
"""
