"""Regenerate index.json from the names given on the command line."""
import json
import os
import sys

entries = sorted(sys.argv[1:])
tmp = "index.json.tmp"
with open(tmp, "w") as fh:
    json.dump(entries, fh)
os.replace(tmp, "index.json")
print("wrote", len(entries), "entries")
