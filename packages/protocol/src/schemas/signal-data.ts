import * as v from 'valibot'
import { MAX_SIGNAL_BYTES } from '../constants.js'

/**
 * WebRTC signaling data as simple-peer produces and consumes it on a data-only connection: a session
 * description, or one ICE candidate. Anything else (simple-peer's `renegotiate` and `transceiverRequest`,
 * which add media transceivers Ferry never uses) is refused before it reaches a peer connection.
 */

/**
 * Longest ICE candidate line accepted. Real ones are 100 to 250 characters (an mDNS host name, an
 * IPv6 address, a TURN relay with its related address); four times that leaves room for any of them.
 */
export const MAX_ICE_CANDIDATE_CHARS = 1024

/** Longest media stream id (`sdpMid`) and ICE username fragment accepted: RFC 8839 ufrags are at most 256. */
export const MAX_ICE_TOKEN_CHARS = 256

const DescriptionSchema = v.object({
  type: v.picklist(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: v.pipe(v.string(), v.maxBytes(MAX_SIGNAL_BYTES, `an SDP of at most ${MAX_SIGNAL_BYTES} bytes`)),
})

const CandidateSchema = v.object({
  type: v.literal('candidate'),
  candidate: v.object({
    candidate: v.pipe(v.string(), v.maxLength(MAX_ICE_CANDIDATE_CHARS)),
    sdpMLineIndex: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
    sdpMid: v.nullish(v.pipe(v.string(), v.maxLength(MAX_ICE_TOKEN_CHARS))),
    usernameFragment: v.nullish(v.pipe(v.string(), v.maxLength(MAX_ICE_TOKEN_CHARS))),
  }),
})

export const SignalDataSchema = v.variant('type', [DescriptionSchema, CandidateSchema], 'an SDP or an ICE candidate')

/** Signaling data between two peers, parsed: only the fields a data-only connection uses. */
export type SignalData = v.InferOutput<typeof SignalDataSchema>
