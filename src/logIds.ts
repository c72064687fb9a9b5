/**
 * Conversation ids are capabilities: whoever knows a Direct Line conversation id and can reach the
 * bot as that channel could act in the conversation. Logs therefore never hold them in clear, only
 * `logId(id)`: a keyed hash (HMAC-SHA256, first 12 hex characters), enough to follow one conversation
 * through the logs and useless for reaching it.
 *
 * The key: with LOG_ID_SECRET set (see .env.example), HMAC-SHA256 of a fixed label under that
 * secret, so the same conversation has the same log id across restarts and processes. Without it, a
 * random key made when the process starts: log ids correlate within one run only.
 */
import { createHmac, randomBytes } from 'crypto';

let key: Buffer = randomBytes(32);

/** Sets the key from LOG_ID_SECRET; without a secret, a new random key (per process). */
export function setLogIdSecret(secret: string | undefined): void {
  key = secret ? createHmac('sha256', secret).update('klachtbot log ids v1').digest() : randomBytes(32);
}

/** The keyed hash of an id for logs: 12 hex characters; '-' when there is no id. */
export function logId(id: string | undefined | null): string {
  if (id === undefined || id === null || id === '') return '-';
  return createHmac('sha256', key).update(String(id)).digest('hex').slice(0, 12);
}

/**
 * `text` with every occurrence of the given ids (also URL-encoded) replaced by their log ids: for
 * error messages and stacks that may quote a URL or a message with a conversation id in it.
 */
export function scrubIds(text: string | undefined, ids: (string | undefined | null)[]): string | undefined {
  if (text === undefined) return undefined;
  let out = text;
  for (const id of ids) {
    if (!id || id.length < 4) continue;
    const hashed = `[id:${logId(id)}]`;
    for (const form of new Set([id, encodeURIComponent(id)])) out = out.split(form).join(hashed);
  }
  return out;
}

/** A request path with the conversation id of a Direct Line or connector path replaced by its log id. */
export function logPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path.replace(/(\/conversations\/)([^/?#]+)/gi, (_m, prefix: string, id: string) => {
    let raw = id;
    try {
      raw = decodeURIComponent(id);
    } catch {
      // keep it as it came
    }
    return `${prefix}[id:${logId(raw)}]`;
  });
}
