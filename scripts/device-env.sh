#!/usr/bin/env bash
# Runs a CaloForge binary on the GPU machine, which has LibTorch (in its python3's torch package)
# but no Swift toolchain. Points the dynamic loader at that LibTorch, its CUDA libraries, and the
# libraries bundled in lib/ beside this script (HDF5 and its dependencies).
#
#   dist/device-env.sh dist/caloforge env
#   dist/device-env.sh dist/caloforge bench engine --device cuda
set -euo pipefail
if [ $# -eq 0 ]; then
    echo "usage: $0 BINARY [ARGS...]   (see docs/gpu.md)" >&2
    exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TORCH_DIR="$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))' 2>/dev/null)" || {
    echo "device-env: python3 cannot import torch; this script expects the GPU machine's PyTorch" >&2
    exit 1
}
SITE="$(dirname "$TORCH_DIR")"
LIBS="$TORCH_DIR/lib"
for d in "$SITE"/nvidia/*/lib; do
    [ -d "$d" ] && LIBS="$LIBS:$d"
done
[ -d "$HERE/lib" ] && LIBS="$LIBS:$HERE/lib"
export LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$@"
