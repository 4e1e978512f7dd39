"""The README's Python example runs as written, from the repository's root."""

from __future__ import annotations

import os
import re

from conftest import REPO


def test_the_readme_example_runs(capsys):
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    cwd = os.getcwd()
    try:
        os.chdir(REPO)
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 and printed[1].startswith("(")
