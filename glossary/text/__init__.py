"""The pure text engine: folding, derived forms, pinyin, segmentation, matching and term mining.

Works on ``str`` and returns plain dataclasses; imports neither Flask nor SQLAlchemy.
"""
