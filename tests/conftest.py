import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Parsed rules.yaml files are cached under $XDG_CACHE_HOME/doclint (linter/cache.py): keep the
# tests' entries out of the home directory of whoever runs them. (The results cache defaults to
# .doclint-cache next to each test's own config, inside its temporary directory.)
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="doclint-tests-xdg-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)
