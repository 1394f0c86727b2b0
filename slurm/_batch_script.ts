/**
 * The text of the batch script behind a job array: one bash `case` branch
 * per job spec, every argv element and environment value single-quoted, so
 * any string reaches the program unchanged. Element `i` of the array runs
 * spec `i`; a spec resubmitted alone gets its index as the script's first
 * argument (`sbatch … array.sbatch 3`). The script appends the program's output to the
 * spec's log and, when the program ends, writes its exit code to the job's
 * exit file (written to a temporary name and renamed, so a reader never
 * sees half of it). A job that Slurm stops (SIGTERM) writes no exit file.
 *
 * @module
 */
import type { JobSpec } from "./job_spec.ts";
import { shellWord } from "./_shell_word.ts";

/**
 * The batch script for `specs`.
 *
 * @param specs the jobs, with absolute paths
 * @param dir the submission's folder, where exit files go (see `_submission_files.ts`)
 * @returns the script's text
 * @throws {TypeError} when an environment variable's name is not a shell name
 */
export function batchScript(specs: readonly JobSpec[], dir: string): string {
  const branches = specs.map((spec, index) => {
    const exports = Object.entries(spec.env ?? {}).map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new TypeError(
          `Cannot set environment variable ${JSON.stringify(name)} of job ${
            JSON.stringify(spec.name)
          }: not a shell variable name`,
        );
      }
      return `  export ${name}=${shellWord(value)}\n`;
    });
    return [
      `${index})\n`,
      `  name=${shellWord(spec.name)}\n`,
      `  log=${shellWord(spec.log)}\n`,
      `  cwd=${shellWord(spec.cwd)}\n`,
      `  argv=(${spec.argv.map(shellWord).join(" ")})\n`,
      ...exports,
      "  ;;\n",
    ].join("");
  });
  return `#!/bin/bash
# Written by encluster's slurm/submit_array.ts: array element i runs job
# spec i below; a spec resubmitted alone gets i as the first argument. When
# the program ends, its exit code goes to <dir>/<job id>.exit, so completion
# is known without Slurm accounting.
set -u
element=\${SLURM_ARRAY_TASK_ID:-\${1:-}}
if [ -n "\${SLURM_ARRAY_JOB_ID:-}" ]; then
  job=\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}
else
  job=\${SLURM_JOB_ID:-local}
fi
exit_file=${shellWord(dir)}/$job.exit
rm -f -- "$exit_file"
case $element in
${branches.join("")}*)
  echo "slurm job $job: no job spec for element '$element' (0..${specs.length - 1})" >&2
  exit 2
  ;;
esac
exec >>"$log" 2>&1 </dev/null || {
  echo "slurm job $job ($name): cannot append to its log $log" >&2
  exit 1
}
echo "== slurm job $job ($name) started on $(hostname) at $(date '+%F %T')"
# Slurm stops a job (scancel, time limit) with SIGTERM to all its processes;
# bash runs the trap once the program has ended, and such a job writes no
# exit file, whatever the program's exit code.
stopped=
trap 'stopped=SIGTERM' TERM
if cd -- "$cwd"; then
  "\${argv[@]}"
  code=$?
else
  code=1
fi
if [ -n "$stopped" ]; then
  echo "== slurm job $job ($name) stopped by $stopped (exit code $code)"
  exit "$code"
fi
echo "== slurm job $job ($name) exited with code $code"
printf '%s\\n' "$code" >"$exit_file.tmp" && mv -f -- "$exit_file.tmp" "$exit_file"
exit "$code"
`;
}
