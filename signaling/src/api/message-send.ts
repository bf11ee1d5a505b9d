import { encodeMessage, type SendReceipt, type TextMessage } from '@ferry/protocol'
import type { Deliveries } from '../delivery/deliveries.js'
import { badArgument } from './api-refusal.js'
import { asObject } from './group-routes.js'
import type { SendBudget } from './send-budget.js'
import { assertMessage, checkAttrs, checkMid, checkMtype } from './send-envelope.js'
import { checkTarget, checkUserId, commandKind, resolveTarget, type TargetContext } from './send-target.js'

export interface SendContext extends TargetContext {
  deliveries: Deliveries
  budget: SendBudget
}

/**
 * `POST /api/messages`: a text message on behalf of `from` (a MessageSendRequest off the network).
 * Every check runs before anything is delivered; a resend with a used mid returns the first receipt.
 */
export async function sendApiMessage(context: SendContext, body: unknown): Promise<SendReceipt> {
  const request = asObject(body)
  const kind = commandKind(request.cmd, 'message')
  const from = checkUserId(request.from, 'from')
  await context.budget.spend(from)
  const mtype = checkMtype(request.mtype, 'text')
  if (typeof request.message !== 'string') throw badArgument('message must be the text, a string')
  const message: TextMessage = { type: 'text', text: request.message }
  assertMessage(message)
  const attrs = checkAttrs(request.attrs)
  const mid = checkMid(request.mid)
  const target = checkTarget(kind, from, request)
  const { users, ...recipients } = await resolveTarget(kind, from, target, context)
  return context.deliveries.send(
    { from, mtype, attrs, ...recipients, recipients: users, ...(mid === undefined ? {} : { mid }) },
    encodeMessage(message),
  )
}
