/** What every bench entry (`bench-*.ts`) does with its command line and its outcome. */

/** The command line parsed by `parse`; on a bad one (or `--help`) prints its message and exits with 2. */
export function argsOrExit<Args>(parse: (argv: string[]) => Args): Args {
  try {
    return parse(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
}

/** Runs a bench's `main`, then exits: 0 when it resolves; 1 with its message, after `onFailure`, when it rejects. */
export function runBench(main: () => Promise<void>, onFailure?: () => void): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      onFailure?.()
      console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    },
  )
}
