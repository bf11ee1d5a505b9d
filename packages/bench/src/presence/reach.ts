import { readFileSync } from 'node:fs'

/**
 * Whether this machine lets the bench open N client connections to one server: every connection is a
 * file descriptor in the server's process (and one in a fleet child's), and a local port from the
 * ephemeral range (all clients connect from 127.0.0.1 to one port). Node cannot raise its own
 * descriptor limit (no `setrlimit`), so a run that needs more is refused with what to raise.
 */

/** Descriptors a process holds besides its client sockets: stdio, IPC, the event loop's, loaded files, the media store. */
const SPARE_FDS = 256

/** Ephemeral ports left to anything else on the machine while the bench holds its connections. */
const SPARE_PORTS = 1024

/** This process's soft limit on open files (children inherit it), or undefined where it cannot be read. */
function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0]
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft)
  } catch {
    return undefined
  }
}

/** How many ports the ephemeral range has, or undefined where it cannot be read. */
function ephemeralPorts(): number | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return low !== undefined && high !== undefined ? high - low + 1 : undefined
  } catch {
    return undefined
  }
}

/** Why `connections` clients cannot all be connected at once here, or undefined when they can. */
export function unreachable(connections: number): string | undefined {
  const files = openFilesLimit()
  if (files !== undefined && connections + SPARE_FDS > files) {
    return (
      `the server process would need ${connections + SPARE_FDS} open files and the limit is ${files} ` +
      '(a Node process cannot raise its own; raise `ulimit -n` before running)'
    )
  }
  const ports = ephemeralPorts()
  if (ports !== undefined && connections + SPARE_PORTS > ports) {
    return `${connections} connections from 127.0.0.1 need more than the ${ports} ephemeral ports (ip_local_port_range)`
  }
  return undefined
}

/** Fleet processes for `connections` clients: at least `wanted`, more if one would pass the open files limit. */
export function fleetProcesses(connections: number, wanted: number): number {
  const files = openFilesLimit()
  if (files === undefined || files <= SPARE_FDS) return wanted
  return Math.max(wanted, Math.ceil(connections / (files - SPARE_FDS)))
}
