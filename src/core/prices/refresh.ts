// Opt-in price refresh (tokenCost.priceUpdateUrl): the only network code in the extension. One plain GET of a price
// table in this project's format, from an https URL the user chose, at most once a day unless forced. No query
// string, cookie, credentials, referrer or identifying header; never any prompt text. The body is read
// incrementally and abandoned past `maxBytes`, validated entry by entry, and cached; when a fetch fails or the table
// is unusable the last good cached copy stays in use. No Node API: the global `fetch` is injected by the caller.
import type { ModelEntry } from './types';
import type { PriceTableError } from './validate';
import { validatePriceTable } from './validate';

/** What the cache holds: the last body that validated, as received (re-validated on every load). */
export interface CachedPriceTable {
  url: string;
  /** ISO instant of the fetch. */
  fetchedAt: string;
  text: string;
}

export interface RefreshCache {
  read(): Promise<CachedPriceTable | undefined>;
  write(entry: CachedPriceTable): Promise<void>;
}

/** The request options used; `cache` is a browser fetch option missing from Node's RequestInit type (Node accepts it). */
export type RefreshRequestInit = RequestInit & { cache?: 'no-store' };
export type FetchLike = (url: string, init: RefreshRequestInit) => Promise<Response>;

export interface RefreshOptions {
  url: string;
  fetch: FetchLike;
  now: Date;
  cache: RefreshCache;
  /** Largest body accepted, in bytes; default DEFAULT_MAX_BYTES. */
  maxBytes?: number;
  /** When the previous request was made (success or not); a request is made at most once per REFRESH_INTERVAL_MS. */
  lastFetched?: Date;
  /** The user asked (a command): ignore the once-a-day limit. */
  force?: boolean;
  /** Give up after this long; default 30 s. */
  timeoutMs?: number;
}

export type RefreshOutcome = 'updated' | 'throttled' | 'failed' | 'invalid' | 'refused';

export interface RefreshResult {
  outcome: RefreshOutcome;
  /** One line for the output channel: what happened and which prices are in use. */
  message: string;
  /** Whether a request was sent: the caller then stores `now` as the next call's `lastFetched`. */
  requested: boolean;
  /** The refreshed models to layer over the shipped ones: the new table's, else the cached copy's, else none. */
  models?: ModelEntry[];
  /** Entry-level problems of the table in use (its invalid entries are skipped, the rest are used). */
  errors: PriceTableError[];
  /** When the table in use was fetched. */
  fetchedAt?: string;
}

/** 2 MiB: the shipped table is about 100 KB; a table ten times larger is still far below this. */
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Why a URL is refused, or undefined when it may be fetched: https only, no credentials and no query string. */
export function refuseUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a URL: ${JSON.stringify(url)}`;
  }
  if (u.protocol !== 'https:') return `only https URLs are fetched, not ${u.protocol.replace(/:$/, '')}`;
  if (u.username || u.password) return 'the URL must not carry a user name or password';
  if (u.search) return 'the URL must not have a query string (nothing is sent but the path)';
  return undefined;
}

export async function refreshPriceTable(options: RefreshOptions): Promise<RefreshResult> {
  const { url, now, cache } = options;
  const cached = await readCache(cache, url);
  const refused = refuseUrl(url);
  if (refused) return fallback('refused', `Price update URL refused: ${refused}.`, cached, false);
  if (!options.force && options.lastFetched && now.getTime() - options.lastFetched.getTime() < REFRESH_INTERVAL_MS) {
    return fallback('throttled', `Price update not due: last requested ${options.lastFetched.toISOString()} (at most once a day; run the update command to fetch now).`, cached, false);
  }

  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let text: string;
  try {
    text = await download(options.fetch, stripHash(url), maxBytes, options.timeoutMs ?? 30_000);
  } catch (e) {
    return fallback('failed', `Price update from ${url} failed: ${(e as Error).message}.`, cached, true);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fallback('invalid', `Price update from ${url} is not valid JSON (${(e as Error).message}).`, cached, true);
  }
  const { models, errors } = validatePriceTable(json);
  if (models.length === 0) {
    const why = errors[0] ? `${errors[0].path ? `${errors[0].path}: ` : ''}${errors[0].message}` : 'no models';
    return { ...fallback('invalid', `Price update from ${url} has no usable model (${why}).`, cached, true), errors: cached ? cached.errors : errors };
  }
  const fetchedAt = now.toISOString();
  await cache.write({ url, fetchedAt, text });
  const skipped = new Set(errors.map((e) => e.path.split('.')[0])).size;
  return {
    outcome: 'updated',
    message: `Prices updated from ${url}: ${models.length} models${errors.length ? `, ${skipped} entr${skipped === 1 ? 'y' : 'ies'} with problems (see below)` : ''}.`,
    requested: true,
    models,
    errors,
    fetchedAt,
  };
}

interface Cached {
  models: ModelEntry[];
  errors: PriceTableError[];
  fetchedAt: string;
}

async function readCache(cache: RefreshCache, url: string): Promise<Cached | undefined> {
  let entry: CachedPriceTable | undefined;
  try {
    entry = await cache.read();
  } catch {
    return undefined;
  }
  // A copy from another URL is not what the user now asks for.
  if (!entry || entry.url !== url || typeof entry.text !== 'string') return undefined;
  try {
    const { models, errors } = validatePriceTable(JSON.parse(entry.text));
    return models.length ? { models, errors, fetchedAt: entry.fetchedAt } : undefined;
  } catch {
    return undefined;
  }
}

function fallback(outcome: RefreshOutcome, message: string, cached: Cached | undefined, requested: boolean): RefreshResult {
  if (!cached) return { outcome, message: `${message} ${outcome === 'throttled' ? 'No cached copy: the shipped prices apply.' : 'No earlier copy: the shipped prices apply.'}`, requested, errors: [] };
  return {
    outcome,
    message: `${message} Using the copy fetched ${cached.fetchedAt} (${cached.models.length} models).`,
    requested,
    models: cached.models,
    errors: cached.errors,
    fetchedAt: cached.fetchedAt,
  };
}

function stripHash(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.toString();
}

/** GETs the URL and returns its body as UTF-8 text, reading at most `maxBytes` (then aborting). */
async function download(fetchFn: FetchLike, url: string, maxBytes: number, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  try {
    const init: RefreshRequestInit = {
      method: 'GET',
      // Nothing that identifies the user or the machine: no cookies or credentials, no referrer, no cache
      // revalidation headers; redirects are refused so the request cannot be bounced to another host or to http.
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      headers: { accept: 'application/json' },
      signal: controller.signal,
    };
    const response = await fetchFn(url, init);
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`the table is ${declared} bytes, above the ${maxBytes}-byte limit`);
    }
    if (!response.body) throw new Error('empty response');
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        controller.abort();
        await reader.cancel().catch(() => undefined);
        throw new Error(`the table is larger than the ${maxBytes}-byte limit; download stopped`);
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.byteLength;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Error('the body is not UTF-8 text');
    }
  } catch (e) {
    if (controller.signal.aborted && controller.signal.reason instanceof Error && !(e as Error).message.includes('limit')) throw controller.signal.reason;
    throw e instanceof Error ? new Error(describeFetchError(e)) : new Error(String(e));
  } finally {
    clearTimeout(timer);
  }
}

/** fetch() reports network failures as "fetch failed" with the reason in `cause`; say the reason. */
function describeFetchError(e: Error): string {
  const cause = (e as Error & { cause?: unknown }).cause;
  if (e.message === 'fetch failed' && cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    if (/redirect/i.test(cause.message)) return 'the server redirected (redirects are not followed; use the final URL)';
    return `${code ? `${code}: ` : ''}${cause.message}`;
  }
  return e.message;
}
