#!/bin/sh
# ScanCode toolkit in its own venv under benchmarks/out/ (git-ignored), so that its pins do not
# disturb robinet's environment. scancode-toolkit 32.5.0 declares pluggy>=1.0, but its plugin
# loader fails with pluggy 1.x ("did not find any 'pre_scan' hooks"): pluggy 0.13.1 works.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
VENV="$HERE/../out/scancode-venv"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q "scancode-toolkit==32.5.0"
"$VENV/bin/pip" install -q "pluggy==0.13.1"
"$VENV/bin/scancode" --version
