import { readFileSync } from 'node:fs'

/**
 * The kernel's count of connection attempts dropped because a listen queue was full (`TcpExt
 * ListenDrops` in /proc/net/netstat, for this network namespace), or null where it cannot be read. A
 * storm that overflows the server's accept queue makes clients retransmit their SYN with exponential
 * backoff (1, 3, 7, 15 s...) and, past the retries, fail with ETIMEDOUT: a ramp that grows with this
 * count is waiting on the backlog, not on the server's work.
 */
export function listenDrops(): number | null {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n')
    const header = lines.findIndex((line) => line.startsWith('TcpExt:'))
    const names = lines[header]?.split(/\s+/) ?? []
    const values = lines[header + 1]?.split(/\s+/) ?? []
    const index = names.indexOf('ListenDrops')
    const value = Number(values[index])
    return index > 0 && Number.isSafeInteger(value) ? value : null
  } catch {
    return null
  }
}
