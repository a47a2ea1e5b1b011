#!/usr/bin/env bash
# M/M/4 at 90% load, 200k customers: SimPy against `scalelab mmc` (release build), one after
# the other on the same machine; prints both wall times and the ratio.
# SimPy comes from PyPI into a venv under ~/.cache (installed on first use).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${SCALELAB_TOOLS:-$HOME/.cache/scalelab-tools}/simpy-venv"
if ! "$VENV/bin/python" -c "import simpy" 2>/dev/null; then
  echo "installing SimPy into $VENV (once)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q simpy
fi
ARGS=(--arrival-rate 3.6 --service-rate 1 --servers 4 --customers 200000 --seed 1)
cargo build -q --release -p scalelab-cli
BIN="${CARGO_TARGET_DIR:-target}/release/scalelab"

simpy_out=$("$VENV/bin/python" bench/simpy/mmc.py "${ARGS[@]}")
echo "SimPy $("$VENV/bin/python" -c 'import simpy; print(simpy.__version__)'): $simpy_out"
simpy_s=$(sed -E 's/.*simpy_wall_s=([0-9.]+).*/\1/' <<<"$simpy_out")

best=""
for _ in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  out=$("$BIN" mmc "${ARGS[@]}" --json)
  t1=$(date +%s.%N)
  t=$(python3 -c "print($t1 - $t0)")
  if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
done
echo "scalelab mmc (best of 5, whole process): ${best}s  $out"
python3 -c "print(f'speed-up: {float($simpy_s) / float($best):.0f}x (SimPy {float($simpy_s):.3f} s vs scalelab {float($best):.4f} s)')"
