"""The pure text engine: folding, derived forms, pinyin, segmentation and matching.

Works on ``str`` and returns plain dataclasses; imports neither Flask nor SQLAlchemy.
"""
