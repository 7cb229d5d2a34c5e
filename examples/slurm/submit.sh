#!/bin/bash
# Run sweep.mint as a Slurm job array: task K of N compiles the K-th of N
# contiguous slices of the configs and runs them.
#
#   mintc count sweep.mint      # how many configs: pick N from it (README.md)
#   sbatch submit.sh            # N tasks, as set by --array below
#   sbatch --array=1-16 submit.sh   # or choose N when submitting
#
# Keep --array a plain range 1-N (a %M throttle such as 1-16%4 is fine):
# each task takes slice SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT, so
# the IDs must be exactly 1..N. To rerun only some tasks, say which N they
# belong to with SHARDS, which then stands for SLURM_ARRAY_TASK_COUNT:
#
#   sbatch --array=3,5 --export=ALL,SHARDS=16 submit.sh
#
#SBATCH --job-name=mint-sweep
#SBATCH --array=1-4
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=mint-sweep-%A_%a.out

set -euo pipefail

# Under sbatch the script runs from a copy in Slurm's spool folder: work in
# the folder it was submitted from (locally, in the folder of this script).
cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")}"

# A virtualenv with spearmint-lang installed, if there is one here.
if [ -f .venv/bin/activate ]; then
    # shellcheck disable=SC1091
    source .venv/bin/activate
fi
MINTC=${MINTC:-mintc}
PYTHON=${PYTHON:-python}

K=${SLURM_ARRAY_TASK_ID:?run this with sbatch (or set SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)}
N=${SHARDS:-${SLURM_ARRAY_TASK_COUNT:?run this with sbatch (or set SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)}}

echo "task ${K}/${N} on $(hostname): $("$MINTC" count sweep.mint)"

# The K-th of N slices; concatenated in order, the N files are the whole sweep.
"$MINTC" compile sweep.mint --shard "${K}/${N}" -o "shard-${K}.jsonl"

# One result line per config, keyed by config_id (shard-K.results.jsonl).
"$PYTHON" run_shard.py "shard-${K}.jsonl"
