/**
 * The signal the routing phase sends: an offer shaped like a real data-channel SDP (what
 * `SignalDataSchema` accepts), about 2 KB as JSON, carrying the monotonic time it was sent at in an
 * attribute line so the receiver, on the same machine, can tell its one-way latency.
 */

/** The SDP's length in characters: a data-channel offer with its ICE candidates is 1.5 to 2.5 KB. */
export const SIGNAL_SDP_CHARS = 2000

/** The attribute that carries the send time (`monotonicMs`, three decimals). */
const SENT_AT_ATTRIBUTE = 'a=x-bench-sent-at:'

const SDP_HEAD = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Xq7w',
  'a=ice-pwd:3HqzN5hbDkV0hS2Lr4yGp9Wt',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
]

/** ICE candidates as a browser on a machine with a few interfaces lists them, repeated to fill the SDP. */
const CANDIDATE_LINES = [
  'a=candidate:1467250027 1 udp 2122260223 192.168.1.23 56143 typ host generation 0 network-id 1 network-cost 10',
  'a=candidate:2999745851 1 udp 2122194687 10.0.0.12 51203 typ host generation 0 network-id 2 network-cost 50',
  'a=candidate:842163049 1 udp 1686052607 203.0.113.7 56143 typ srflx raddr 192.168.1.23 rport 56143 generation 0',
  'a=candidate:3337365235 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0 network-id 1',
]

/** The SDP up to its candidates, and as many candidate lines as fit in SIGNAL_SDP_CHARS with the time line. */
const SDP_BODY = ((): string => {
  const sentAtLineChars = `${SENT_AT_ATTRIBUTE}0000000000.000\r\n`.length
  let body = `${SDP_HEAD.join('\r\n')}\r\n`
  for (let i = 0; ; i++) {
    const line = `${CANDIDATE_LINES[i % CANDIDATE_LINES.length]}\r\n`
    if (body.length + line.length + sentAtLineChars > SIGNAL_SDP_CHARS) return body
    body += line
  }
})()

/** An offer sent at `sentAtMs` (see `monotonicMs`). */
export function timedOffer(sentAtMs: number): { type: 'offer'; sdp: string } {
  return { type: 'offer', sdp: `${SDP_BODY}${SENT_AT_ATTRIBUTE}${sentAtMs.toFixed(3)}\r\n` }
}

/** The send time a `timedOffer` carries, or undefined for anything else. */
export function sentAtOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null || !('sdp' in data) || typeof data.sdp !== 'string') return undefined
  const start = data.sdp.lastIndexOf(SENT_AT_ATTRIBUTE)
  if (start < 0) return undefined
  const value = Number.parseFloat(data.sdp.slice(start + SENT_AT_ATTRIBUTE.length))
  return Number.isFinite(value) ? value : undefined
}
