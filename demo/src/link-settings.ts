import type { FerryOptions, TransportMode } from '@ferry/client'

/** How this page connects to peers: the part of the client's options that the address can set. */
export type LinkSettings = Pick<
  FerryOptions,
  'transport' | 'iceTransportPolicy' | 'connectTimeoutMs' | 'idleTimeoutMs' | 'mediaIdleTimeoutMs'
>

const TRANSPORTS: ReadonlySet<string> = new Set<TransportMode>(['auto', 'direct', 'relay'])

/** Longest `?timeout=` honoured: a minute is already far longer than any direct connection takes. */
const MAX_TIMEOUT_MS = 60_000

/** Longest `?idle=` honoured: ten minutes, longer than anyone watches a stalled transfer. */
const MAX_IDLE_MS = 10 * 60_000

/**
 * Reads the link settings from the page's query string, so a link can be forced from the address bar:
 *
 * - `transport=auto|direct|relay`: direct with a fallback to the server's relay (the default), direct
 *   only, or relay only;
 * - `ice=relay`: WebRTC may use TURN candidates only (with no TURN server there is no direct path);
 * - `timeout=<ms>`: how long a direct connection may take to open;
 * - `idle=<ms>`: how long a transfer or a media upload or download may go without data before it fails.
 *
 * Anything else is ignored and leaves the client's default.
 */
export function linkSettingsFrom(search: string): LinkSettings {
  const params = new URLSearchParams(search)
  const settings: LinkSettings = {}
  const transport = params.get('transport')
  if (transport && TRANSPORTS.has(transport)) settings.transport = transport as TransportMode
  if (params.get('ice') === 'relay') settings.iceTransportPolicy = 'relay'
  const timeout = Number(params.get('timeout'))
  if (Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_TIMEOUT_MS) settings.connectTimeoutMs = timeout
  const idle = Number(params.get('idle'))
  if (Number.isInteger(idle) && idle > 0 && idle <= MAX_IDLE_MS) {
    settings.idleTimeoutMs = idle
    settings.mediaIdleTimeoutMs = idle
  }
  return settings
}

/** A few words on settings that differ from the defaults, for the header; undefined when there are none. */
export function describeLinkSettings(settings: LinkSettings): string | undefined {
  const parts: string[] = []
  if (settings.transport === 'relay') parts.push('relay only')
  if (settings.transport === 'direct') parts.push('direct only')
  if (settings.iceTransportPolicy === 'relay') parts.push('TURN candidates only')
  if (settings.connectTimeoutMs !== undefined) parts.push(`connect within ${settings.connectTimeoutMs / 1000} s`)
  if (settings.idleTimeoutMs !== undefined) parts.push(`stalled after ${settings.idleTimeoutMs / 1000} s`)
  return parts.length > 0 ? `Links: ${parts.join(', ')}` : undefined
}
