import { FerryClient } from '@ferry/client'
import { io, type Socket } from 'socket.io-client'
import { BENCH_ADMIN_KEY } from './delivery-server.js'

/** What one run measured: how long keeping and delivering took, and what each user's app saw. */
export interface DeliveryRun {
  impl: 'raw' | 'ferry'
  /** Seconds to have every message kept by the server. */
  keepSeconds: number
  /** Seconds from the first login until every user's app had every message. */
  deliverSeconds: number
  /** Distinct messages the apps saw, and how many they saw twice or more. */
  delivered: number
  duplicates: number
  /** Messages seen again when every user logged in a second time (everything was acknowledged). */
  redelivered: number
}

/** Who sends the group messages: a member of the group, never logged in. */
const SENDER = 'bench-sender'

/** How long every message may take to arrive before the run fails, rather than hang. */
const DELIVER_TIMEOUT_MS = 300_000

/** Acknowledgements the raw client batches, as Ferry's client does. */
const RAW_ACK_BATCH = 100

/** The text of message `n` (about 60 bytes, a chat line). */
function text(n: number): string {
  return `kept message ${n} for the delivery benchmark, a chat line`
}

export function userIds(users: number, round: number): string[] {
  return Array.from({ length: users }, (_, i) => `bench-r${round}-u${i}`)
}

/** Ferry: a group of the users, `perUser` group messages through the server API, then everyone logs in. */
export async function runFerry(url: string, users: string[], perUser: number, round: number): Promise<DeliveryRun> {
  const gid = `bench-group-${round}`
  const keepStart = performance.now()
  await api(url, '/api/groups', { gid, members: [SENDER, ...users] })
  for (let n = 0; n < perUser; n++) {
    await api(url, '/api/messages', {
      cmd: 'sendgroupmsg',
      from: SENDER,
      gid,
      mtype: 30,
      message: text(n),
    })
  }
  const keepSeconds = (performance.now() - keepStart) / 1000
  const first = await loginAll(url, users, perUser)
  const again = await loginAll(url, users, 0)
  return {
    impl: 'ferry',
    keepSeconds,
    deliverSeconds: first.seconds,
    delivered: first.delivered,
    duplicates: first.duplicates,
    redelivered: again.delivered + again.duplicates,
  }
}

/** Every user logs in at once; resolves when each saw `expected` distinct messages (then a settle for more). */
async function loginAll(
  url: string,
  users: string[],
  expected: number,
): Promise<{ seconds: number; delivered: number; duplicates: number }> {
  const clients = users.map((userId) => new FerryClient({ url, userId }))
  let delivered = 0
  let duplicates = 0
  const start = performance.now()
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not every message arrived in ${DELIVER_TIMEOUT_MS} ms`)),
        DELIVER_TIMEOUT_MS,
      )
      let complete = 0
      const done = (): void => {
        if (++complete === clients.length) {
          clearTimeout(timer)
          resolve()
        }
      }
      for (const client of clients) {
        const seen = new Set<string>()
        client.on('message', ({ from, taskId }) => {
          const key = `${from}\n${taskId}`
          if (seen.has(key)) duplicates++
          else {
            seen.add(key)
            delivered++
            if (seen.size === expected) done()
          }
        })
        client.connect().then(() => {
          if (expected === 0) done()
        }, reject)
      }
    })
    const seconds = (performance.now() - start) / 1000
    // Deliveries beyond what was expected (a redelivery) arrive right behind the others.
    await new Promise((resolve) => setTimeout(resolve, 500))
    return { seconds, delivered, duplicates }
  } finally {
    await Promise.all(clients.map((client) => client.close()))
  }
}

async function api(url: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
}

/** The baseline: the same messages kept by the bare server, then the same logins with batched acks. */
export async function runRaw(url: string, users: string[], perUser: number): Promise<DeliveryRun> {
  const sender = io(url, { auth: { userId: 'bench-sender' }, transports: ['websocket'] })
  const keepStart = performance.now()
  for (let n = 0; n < perUser; n++) {
    await sender.emitWithAck('keep', users, Buffer.from(text(n)))
  }
  const keepSeconds = (performance.now() - keepStart) / 1000
  sender.close()
  const first = await rawLoginAll(url, users, perUser)
  const again = await rawLoginAll(url, users, 0)
  return {
    impl: 'raw',
    keepSeconds,
    deliverSeconds: first.seconds,
    delivered: first.delivered,
    duplicates: first.duplicates,
    redelivered: again.delivered + again.duplicates,
  }
}

async function rawLoginAll(
  url: string,
  users: string[],
  expected: number,
): Promise<{ seconds: number; delivered: number; duplicates: number }> {
  const sockets: Socket[] = []
  let delivered = 0
  let duplicates = 0
  const start = performance.now()
  try {
    await new Promise<void>((resolve) => {
      let complete = 0
      const done = (): void => {
        if (++complete === users.length) resolve()
      }
      for (const userId of users) {
        const socket = io(url, { auth: { userId }, transports: ['websocket'] })
        sockets.push(socket)
        const seen = new Set<number>()
        let pending: number[] = []
        socket.on('deliver', (id: number) => {
          if (seen.has(id)) duplicates++
          else {
            seen.add(id)
            delivered++
          }
          pending.push(id)
          if (pending.length >= RAW_ACK_BATCH || seen.size === expected) {
            socket.emit('ack', pending)
            pending = []
          }
          if (seen.size === expected) done()
        })
        if (expected === 0) socket.on('connect', done)
      }
    })
    const seconds = (performance.now() - start) / 1000
    await new Promise((resolve) => setTimeout(resolve, 500))
    return { seconds, delivered, duplicates }
  } finally {
    for (const socket of sockets) socket.close()
  }
}
