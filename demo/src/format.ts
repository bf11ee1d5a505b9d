const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** Sizes in binary units, as file managers show them: `512 B`, `1.5 MiB`, `64 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || Number.isInteger(value) || value >= 100 ? 0 : 1
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`
}

/** Throughput in decimal megabytes per second, as network monitors show it. */
export function formatSpeed(bytesPerSecond: number): string {
  const mb = bytesPerSecond / 1e6
  return `${mb.toFixed(mb >= 100 ? 0 : 1)} MB/s`
}

/** A short duration: `0.4 s`, `12 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`
  const total = Math.round(seconds)
  if (total < 60) return `${total} s`
  const minutes = Math.floor(total / 60)
  if (minutes < 60) return `${minutes} min ${String(total % 60).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** Whole percent done, 100 only when everything is there. */
export function percent(done: number, total: number): number {
  if (total <= 0 || done >= total) return 100
  return Math.min(99, Math.floor((done / total) * 100))
}

export function formatTime(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** A picture's pixel size as people write it: `1200 × 800`. */
export function formatDimensions(width: number, height: number): string {
  return `${width} × ${height}`
}

/** A day and time within the next weeks, in the browser's language: `Nov 29, 08:43 AM`. */
export function formatDateTime(date: Date): string {
  return `${date.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${formatTime(date)}`
}
