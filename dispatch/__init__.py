"""Reference service modules that the durable-writes fixer was first applied to."""
