const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i
const DOTTED_IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/i
const IPV6_GROUPS = 8
/** Groups of an IPv6 /64: the part a provider hands a whole host (or home), which picks the rest itself. */
const PREFIX_GROUPS = 4

/**
 * What connections are counted under for `address` (a socket's `remoteAddress`): an IPv4 address as
 * it is (written IPv4-mapped in IPv6 too), an IPv6 address by its /64, since one host commonly holds
 * a whole /64 and could take a fresh address for every connection. Anything unreadable counts as itself.
 */
export function addressKey(address: string): string {
  const bare = address.split('%')[0] ?? address
  const mapped = MAPPED_IPV4.exec(bare)
  if (mapped?.[1] !== undefined) return mapped[1]
  if (!bare.includes(':')) return bare
  const groups = ipv6Groups(bare)
  return groups === undefined ? bare : `${groups.slice(0, PREFIX_GROUPS).join(':')}::/64`
}

/** The eight groups of an IPv6 address, without leading zeros; undefined when it is not one. */
function ipv6Groups(address: string): string[] | undefined {
  const halves = address.split('::')
  if (halves.length > 2) return undefined
  const head = withIpv4Tail(halves[0] ? halves[0].split(':') : [])
  const tail = withIpv4Tail(halves[1] ? halves[1].split(':') : [])
  if (head === undefined || tail === undefined) return undefined
  const missing = IPV6_GROUPS - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail]
  if (!groups.every((group) => HEX_GROUP.test(group))) return undefined
  return groups.map((group) => Number.parseInt(group, 16).toString(16))
}

/** The groups with a dotted IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) written as two hex groups. */
function withIpv4Tail(groups: string[]): string[] | undefined {
  const last = groups.at(-1)
  if (last === undefined || !last.includes('.')) return groups
  const octets = DOTTED_IPV4.exec(last)?.slice(1).map(Number)
  if (octets === undefined || octets.some((octet) => octet > 255)) return undefined
  const [a = 0, b = 0, c = 0, d = 0] = octets
  return [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
}
