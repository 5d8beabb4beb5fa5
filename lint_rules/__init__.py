"""flake8-durable-writes: find and fix writes that are atomic but not durable."""

__version__ = "0.1.0"
