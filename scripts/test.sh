#!/usr/bin/env bash
# The test command from the README: install Trustline with its test extras, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e '.[test]'
python -m pytest "$@"
