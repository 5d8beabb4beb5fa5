"""The server process itself: garbage on stdin is reported, never a traceback."""
from __future__ import annotations

import subprocess
import sys


def test_a_message_that_is_not_json_is_reported_in_one_line_and_the_server_ends_cleanly():
    body = b"{not json}"
    garbage = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    done = subprocess.run([sys.executable, "-m", "lint_rules.cli", "lsp"], input=garbage,
                          capture_output=True, timeout=60)
    assert done.returncode == 0
    assert b"window/showMessage" in done.stdout
    assert b"Traceback" not in done.stderr
    assert b"JSONDecodeError" in done.stderr
