// TextEncoder and TextDecoder exist in every runtime Ferry targets (browsers, Node, Deno, workers),
// but this package compiles without DOM or Node typings, so it declares the little it uses.
declare const TextEncoder: { new (): { encode(input: string): Uint8Array } }
declare const TextDecoder: {
  new (label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean }): { decode(input: Uint8Array): string }
}

const encoder = new TextEncoder()
// ignoreBOM keeps a leading U+FEFF: without it the decoder drops it, and text would not round-trip.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text)
}

/** Decodes UTF-8, or returns undefined when the bytes are not valid UTF-8. Never throws. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes)
  } catch {
    return undefined
  }
}

/** Encodes `text` and cuts it to at most `maxBytes`, never inside a character. */
export function utf8EncodeTruncated(text: string, maxBytes: number): Uint8Array {
  const bytes = encoder.encode(text)
  if (bytes.length <= maxBytes) return bytes
  let end = maxBytes
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--
  return bytes.subarray(0, end)
}
