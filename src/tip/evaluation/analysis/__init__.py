"""Evaluation's analysis: pure Python, no Django import, testable on its own.

- ``instrument_model``: what an instrument is (frozen dataclasses);
- ``scoring``: checking one person's answers against the items' scales, and scoring them;
- ``linking``: the anonymous linking code's elements, reading its answers, and linking codes
  across waves.
"""
