import { FerryClient, FerryError, type FerryErrorCode } from '@ferry/client'
import './style.css'
import { appView } from './app-view'
import { describeError, errorText } from './error-text'
import { describeLinkSettings, linkSettingsFrom } from './link-settings'
import { LOBBY_ROOM } from './lobby'
import { loginView } from './login-view'

declare global {
  interface Window {
    /**
     * Debugging handle on the logged-in user's client and the room its people list comes from, for the
     * console and the end-to-end tests.
     */
    ferryDemo?: { client: FerryClient; lobby: string }
  }
}

/**
 * The Ferry demo: log in with a name, then send to anyone else logged in (the lobby room lists them).
 * The signaling server is reached through this page's own origin (the dev server forwards /socket.io
 * to it).
 */
const root = document.getElementById('app')!
const linkSettings = linkSettingsFrom(location.search)

function showLogin(message?: string): void {
  root.replaceChildren(loginView({ ...(message ? { message } : {}), login }))
}

async function login(name: string): Promise<string | undefined> {
  const client = new FerryClient({ url: location.origin, userId: name, ...linkSettings })
  try {
    await client.connect()
  } catch (error) {
    return loginProblem(error)
  }
  window.ferryDemo = { client, lobby: LOBBY_ROOM }
  const ended = (code: FerryErrorCode | undefined) => {
    if (window.ferryDemo?.client === client) delete window.ferryDemo
    showLogin(endedBecause(code))
  }
  root.replaceChildren(appView(client, { linkMode: describeLinkSettings(linkSettings), onEnd: ended }))
  return undefined
}

function loginProblem(error: unknown): string {
  if (error instanceof FerryError && error.code === 'invalid-argument') {
    return 'That name is not allowed: use letters, digits and _ . @ : -'
  }
  return describeError(error)
}

/** Why the server logged the user out; nothing when they logged out themselves. */
function endedBecause(code: FerryErrorCode | undefined): string | undefined {
  return code && code !== 'closed' ? errorText(code) : undefined
}

showLogin()
