/** The small pieces every bench report is written with. */

/** The largest of the values that are there; null when none is (the case did not run). */
export function maxOf(values: readonly (number | undefined)[]): number | null {
  const present = values.filter((value): value is number => value !== undefined)
  return present.length > 0 ? Math.max(...present) : null
}

/** The largest `value` over the runs of `impl`. */
export function maxOfImpl<R extends { impl: string }>(
  runs: readonly R[],
  impl: R['impl'],
  value: (run: R) => number,
): number | null {
  return maxOf(runs.filter((run) => run.impl === impl).map(value))
}

export function show(value: number | null, unit: string): string {
  return value === null ? 'not run' : `${value}${unit}`
}

export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED'
}
