/**
 * A stand-in for Open Zaak / Open Klant in contract tests: a real local HTTP server that loads the vendored
 * OpenAPI specifications (docs/specs/*.yaml), routes each request to its operation (path template and
 * method), and validates it against the specification before doing anything:
 * - required headers (Content-Crs on the geo-enabled Zaken endpoints, Content-Type) and their enums,
 * - the security scheme: `Authorization: Bearer <JWT>` (ZGW, HS256 with the client's secret; iss,
 *   iat, client_id must be there) or `Authorization: Token <key>` (Klantinteracties),
 * - query parameters (only those the operation declares),
 * - the JSON body, with ajv against the operation's request schema (OpenAPI 3.0 `nullable`, readOnly
 *   properties not required in requests, `oneOf` + `discriminator.mapping` as used by these specs).
 * An invalid request gets 400 (401/403 for credentials) and is recorded in `violations`, so a test that
 * checks `violations` is empty fails loudly. A valid request is answered the way the specification
 * describes: 201 with the resource (url, uuid, read-only fields filled), 200 with a paginated list or a
 * resource; created resources are kept in memory so GETs find them. The server's own answers are
 * validated against the response schemas too (`responseViolations`).
 *
 * Faults for failure paths: `down()` / `up()` (connection refused, same port), and `inject()` to answer
 * a matching request with a status, or to carry it out and then answer late (a client time-out after the
 * POST went through: the ambiguous case).
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import http from 'http';
import type { AddressInfo, Socket } from 'net';
import path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type * as Jose from 'jose';
import YAML from 'yaml';
import type { Complaint, StoredCallback } from '../../src/domain/complaint';
import { loadMunicipality } from '../../src/municipality';
import type { Delivery, DeliveryDeps, DeliveryPlugin, DeliverySubject, DeliveryTarget } from '../../src/delivery/types';

export const SPEC_DIR = path.join(__dirname, '..', '..', 'docs', 'specs');

type Json = Record<string, unknown>;

interface Operation {
  spec: LoadedSpec;
  method: string;
  template: string;
  regex: RegExp;
  params: string[];
  operationId: string;
  op: Json;
}

interface LoadedSpec {
  name: string;
  /** the server URL path of the spec, e.g. /zaken/api/v1 */
  prefix: string;
  doc: Json;
  ajv: Ajv;
  security: 'jwt' | 'token';
  validators: Map<string, ValidateFunction>;
}

export interface RecordedRequest {
  operationId: string;
  method: string;
  /** path after the spec prefix, with the query */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** the answer's status */
  status: number;
}

export interface Fault {
  /** which requests: operationId (e.g. 'zaak_create') or a predicate */
  match: string | ((r: { operationId: string; method: string; path: string }) => boolean);
  /** answer with this status without carrying the request out (unless `afterHandling`) */
  status?: number;
  /** carry the request out, then wait this long before answering (a time-out after the POST went through) */
  delayMs?: number;
  /** with status: carry the request out first, then answer with the status anyway */
  afterHandling?: boolean;
  /** how many requests it applies to (default 1) */
  times?: number;
}

export interface OpenApiServerOptions {
  /** spec file names in docs/specs, e.g. ['zaken-1.5.1.openapi.yaml', 'documenten-1.4.2.openapi.yaml'] */
  specs: string[];
  /** ZGW JWT: the secret per client id */
  jwtClients?: Record<string, string>;
  /** Klantinteracties: accepted tokens */
  tokens?: string[];
  /** pre-existing resources (e.g. an actor), per collection path with prefix: '/klantinteracties/api/v1/actoren' */
  seed?: Record<string, Json[]>;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** OpenAPI 3.0 schema → JSON Schema for ajv, for requests or responses. */
function toJsonSchema(node: unknown, mode: 'request' | 'response'): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, mode));
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable' || k === 'discriminator' || k === 'example' || k === 'deprecated' || k === 'xml') continue;
    // a reference into another API's specification (the Catalogi API's ZaakType in ?expand answers): not
    // vendored, so anything is accepted there
    if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) continue;
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Json = {};
      for (const [pk, pv] of Object.entries(v as Json)) props[pk] = toJsonSchema(pv, mode);
      out[k] = props;
      continue;
    }
    out[k] = toJsonSchema(v, mode);
  }
  // readOnly properties are not sent in requests; writeOnly ones are not returned
  if (Array.isArray(src.required) && src.properties && typeof src.properties === 'object') {
    const props = src.properties as Record<string, Json>;
    const skip = mode === 'request' ? 'readOnly' : 'writeOnly';
    out.required = (src.required as string[]).filter((name) => !(props[name] && props[name][skip] === true));
    if ((out.required as string[]).length === 0) delete out.required;
  }
  // oneOf + discriminator.mapping: pick the branch by the property's value
  const disc = src.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
  if (disc && disc.mapping && Array.isArray(src.oneOf)) {
    const keys = Object.keys(disc.mapping);
    delete out.oneOf;
    out.type = 'object';
    out.required = [disc.propertyName];
    out.properties = { [disc.propertyName]: { enum: keys } };
    out.allOf = keys.map((key) => ({
      if: { properties: { [disc.propertyName]: { const: key } }, required: [disc.propertyName] },
      then: { $ref: disc.mapping![key] },
    }));
  }
  if (src.nullable === true) return { anyOf: [{ type: 'null' }, out] };
  return out;
}

const specCache = new Map<string, LoadedSpec>();

/** loads, converts and compiles a specification once per test file (ajv compiles schemas on first use) */
function loadSpec(file: string): LoadedSpec {
  let spec = specCache.get(file);
  if (!spec) {
    spec = loadSpecUncached(file);
    specCache.set(file, spec);
  }
  return spec;
}

function loadSpecUncached(file: string): LoadedSpec {
  const doc = YAML.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as Json;
  const servers = doc.servers as { url: string }[];
  const prefix = new URL(servers[0].url, 'http://x').pathname.replace(/\/$/, '');
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const schemas = (doc.components as Json).schemas as Json;
  ajv.addSchema({ $id: 'request', components: { schemas: toJsonSchema(schemas, 'request') } });
  ajv.addSchema({ $id: 'response', components: { schemas: toJsonSchema(schemas, 'response') } });
  const schemes = Object.values(((doc.components as Json).securitySchemes ?? {}) as Record<string, Json>);
  const security = schemes.some((s) => s.type === 'apiKey') ? 'token' : 'jwt';
  return { name: file, prefix, doc, ajv, security, validators: new Map() };
}

function compileOperations(spec: LoadedSpec): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(spec.doc.paths as Record<string, Json>)) {
    const params: string[] = [];
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      ops.push({
        spec,
        method: method.toUpperCase(),
        template,
        regex: new RegExp(`^${spec.prefix}${pattern}/?$`),
        params,
        operationId: String(op.operationId),
        op: { ...op, parameters: [...((item.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])] },
      });
    }
  }
  // literal paths before templated ones (/zaken/_zoek before /zaken/{uuid})
  return ops.sort((a, b) => a.params.length - b.params.length);
}

function schemaRef(content: unknown): string | undefined {
  const c = content as Record<string, { schema?: { $ref?: string } }> | undefined;
  if (!c) return undefined;
  const media = c['application/json'] ?? c['application/problem+json'] ?? Object.values(c)[0];
  return media?.schema?.$ref;
}

export class OpenApiServer {
  readonly specs: LoadedSpec[];
  private readonly ops: Operation[];
  private server: http.Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** every request that reached an operation, in order */
  readonly requests: RecordedRequest[] = [];
  /** requests the specification rejects (each one also got a 4xx) */
  readonly violations: string[] = [];
  /** answers of this server that do not match the specification (a bug in the fake) */
  readonly responseViolations: string[] = [];
  /** created resources per collection path (with prefix) */
  readonly resources = new Map<string, Json[]>();
  /** document contents (Documenten: inhoud) by document URL */
  readonly contents = new Map<string, Buffer>();
  private faults: Fault[] = [];
  private counter = 0;

  private constructor(private readonly opts: OpenApiServerOptions) {
    this.specs = opts.specs.map(loadSpec);
    this.ops = this.specs.flatMap(compileOperations);
    for (const [coll, items] of Object.entries(opts.seed ?? {})) this.resources.set(coll, [...items]);
    this.server = this.createServer();
  }

  static async start(opts: OpenApiServerOptions): Promise<OpenApiServer> {
    const s = new OpenApiServer(opts);
    await s.up();
    return s;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** the base URL of a spec: origin + its server path ('zaken' → http://127.0.0.1:1234/zaken/api/v1) */
  base(name: string): string {
    const spec = this.specs.find((s) => s.name.startsWith(name));
    if (!spec) throw new Error(`no spec ${name}`);
    return this.origin + spec.prefix;
  }

  /** stored resources of a collection: ('zaken', '/zaken') */
  list(specName: string, collection: string): Json[] {
    const spec = this.specs.find((s) => s.name.startsWith(specName))!;
    return this.resources.get(spec.prefix + collection) ?? [];
  }

  inject(fault: Fault): void {
    if (typeof fault.match === 'string' && !this.ops.some((o) => o.operationId === fault.match)) throw new Error(`no operation ${fault.match}`);
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** the requests that created something (POST answered 201), by operationId */
  created(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId && r.status === 201);
  }

  /** stops listening and drops open connections: the next request gets "connection refused" */
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server = this.createServer();
  }

  /** listens again, on the same port after down() */
  async up(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }

  private createServer(): http.Server {
    const server = http.createServer((req, res) => {
      void this.handle(req, res).catch((err: Error) => {
        this.responseViolations.push(`server error: ${err.stack ?? err.message}`);
        if (!res.headersSent) this.send(res, 500, { error: 'fake server error' });
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private validator(spec: LoadedSpec, mode: 'request' | 'response', ref: string): ValidateFunction {
    const key = `${mode}|${ref}`;
    let v = spec.validators.get(key);
    if (!v) {
      v = spec.ajv.getSchema(`${mode}${ref}`);
      if (!v) throw new Error(`no schema ${ref} in ${spec.name}`);
      spec.validators.set(key, v);
    }
    return v;
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
    res.end(text);
  }

  private problem(status: number, code: string, detail: string, invalidParams?: { name: string; code: string; reason: string }[]): Json {
    const p: Json = { type: `https://example.org/fouten/${code}`, code, title: code, status, detail, instance: `urn:uuid:${randomUUID()}` };
    if (invalidParams) p.invalidParams = invalidParams;
    return p;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const op = this.ops.find((o) => o.method === method && o.regex.test(url.pathname));
    if (!op) {
      this.violations.push(`${method} ${url.pathname}: no such operation in the specifications`);
      this.send(res, 404, this.problem(404, 'not_found', 'Geen operatie voor dit pad.'));
      return;
    }
    const spec = op.spec;
    const relPath = url.pathname.slice(spec.prefix.length) + url.search;
    const record: RecordedRequest = { operationId: op.operationId, method, path: relPath, headers: req.headers, body: undefined, status: 0 };
    this.requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      this.checkResponse(op, status, body);
      this.send(res, status, body, { 'API-version': String((spec.doc.info as Json).version), ...headers });
    };
    const reject = (status: number, code: string, message: string) => {
      this.violations.push(`${op.operationId} (${method} ${relPath}): ${message}`);
      reply(status, this.problem(status, code, message, status === 400 ? [{ name: 'nonFieldErrors', code, reason: message }] : undefined));
    };

    // security
    const auth = String(req.headers.authorization ?? '');
    if (spec.security === 'jwt') {
      const m = /^Bearer (.+)$/.exec(auth);
      if (!m) return reject(401, 'not_authenticated', 'Authorization: Bearer <JWT> ontbreekt');
      const problem = await this.checkJwt(m[1]);
      if (problem) return reject(403, 'permission_denied', problem);
    } else {
      const m = /^Token (.+)$/.exec(auth);
      if (!m || !(this.opts.tokens ?? []).includes(m[1])) return reject(401, 'not_authenticated', 'Authorization: Token <key> ontbreekt of is onjuist');
    }

    // headers and query parameters
    const params = (op.op.parameters as Json[]) ?? [];
    for (const p of params.filter((x) => x.in === 'header')) {
      const name = String(p.name).toLowerCase();
      let value = req.headers[name] as string | undefined;
      if (value === undefined) {
        if (p.required) return reject(412, 'precondition_failed', `header ${String(p.name)} ontbreekt`);
        continue;
      }
      if (name === 'content-type') value = value.split(';')[0].trim();
      const en = (p.schema as Json | undefined)?.enum as string[] | undefined;
      if (en && !en.includes(value)) return reject(p.name === 'Content-Type' ? 415 : 412, 'precondition_failed', `header ${String(p.name)}: ${value} is niet toegestaan`);
    }
    const queryParams = params.filter((x) => x.in === 'query');
    for (const [name, value] of url.searchParams) {
      const p = queryParams.find((x) => x.name === name);
      if (!p) return reject(400, 'invalid_query', `queryparameter ${name} bestaat niet voor ${op.operationId}`);
      const schema = (p.schema ?? {}) as Json;
      if (schema.format === 'uri' && !/^https?:\/\//.test(value)) return reject(400, 'invalid_query', `queryparameter ${name} is geen URL`);
      if (Array.isArray(schema.enum) && !(schema.enum as string[]).includes(value)) return reject(400, 'invalid_query', `queryparameter ${name}: waarde niet toegestaan`);
    }

    // body
    let body: unknown;
    if (op.op.requestBody) {
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        return reject(400, 'parse_error', 'body is geen JSON');
      }
      record.body = body;
      if (body === undefined && (op.op.requestBody as Json).required) return reject(400, 'required', 'body ontbreekt');
      const ref = schemaRef((op.op.requestBody as Json).content);
      if (ref && body !== undefined) {
        const v = this.validator(spec, 'request', ref);
        if (!v(body)) {
          const msg = (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
          return reject(400, 'invalid', `body ongeldig volgens ${ref.split('/').pop()}: ${msg}`);
        }
      }
    }

    // Klantinteracties: a foreign key ({uuid}) must name an existing resource, as in Open Klant
    if (spec.security === 'token' && body && typeof body === 'object') {
      for (const [name, v] of Object.entries(body as Json)) {
        for (const ref of Array.isArray(v) ? v : [v]) {
          if (ref && typeof ref === 'object' && typeof (ref as Json).uuid === 'string' && !this.findByUuid(String((ref as Json).uuid))) {
            return reject(400, 'does_not_exist', `${name}: uuid ${String((ref as Json).uuid)} bestaat niet`);
          }
        }
      }
    }

    // faults
    const fault = this.faults.find((f) => (f.times ?? 1) > 0 && (typeof f.match === 'string' ? f.match === op.operationId : f.match({ operationId: op.operationId, method, path: relPath })));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.status !== undefined && !fault.afterHandling) {
        record.status = fault.status;
        this.send(res, fault.status, this.problem(fault.status, 'injected', 'Ingestelde storing.'));
        return;
      }
    }
    const [status, answer, headers] = this.carryOut(op, url, body);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status !== undefined) {
      record.status = fault.status;
      if (!res.destroyed) this.send(res, fault.status, this.problem(fault.status, 'injected', 'Ingestelde storing.'));
      return;
    }
    if (res.destroyed) {
      record.status = status;
      return;
    }
    reply(status, answer, headers);
  }

  private async checkJwt(token: string): Promise<string | undefined> {
    const clients = this.opts.jwtClients ?? {};
    let payload: Json;
    try {
      const [, p] = token.split('.');
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Json;
    } catch {
      return 'JWT onleesbaar';
    }
    const clientId = String(payload.client_id ?? '');
    const secret = clients[clientId];
    if (!secret) return `onbekende client_id ${clientId}`;
    try {
      // Test files map 'jose' to the package loaded by Node (see test/staff/helpers.ts)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { jwtVerify } = require('jose') as typeof Jose;
      const { payload: verified, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
      if (verified.iss !== clientId) return 'iss is niet de client_id';
      if (typeof verified.iat !== 'number') return 'iat ontbreekt';
      if (Math.abs(Date.now() / 1000 - verified.iat) > 300) return 'iat te oud';
      if (typeof verified.user_id !== 'string' || typeof verified.user_representation !== 'string') return 'user_id / user_representation ontbreken';
      if (protectedHeader.typ !== undefined && protectedHeader.typ !== 'JWT') return 'typ is geen JWT';
    } catch (err) {
      return `JWT ongeldig: ${(err as Error).message}`;
    }
    return undefined;
  }

  private collectionOf(op: Operation, url: URL): { coll: string; uuid?: string } {
    const m = op.regex.exec(url.pathname)!;
    const pathParams: Record<string, string> = {};
    op.params.forEach((p, i) => (pathParams[p] = decodeURIComponent(m[i + 1])));
    const coll = op.spec.prefix + op.template.replace(/\/\{[^}]+\}$/, '');
    return { coll, uuid: pathParams.uuid };
  }

  /** does the request: create, list, read (other operations: 501, the contract tests do not use them) */
  private carryOut(op: Operation, url: URL, body: unknown): [number, unknown, Record<string, string>] {
    const spec = op.spec;
    const isZaken = spec.prefix.startsWith('/zaken');
    const crs: Record<string, string> = isZaken ? { 'Content-Crs': 'EPSG:4326' } : {};
    const { coll, uuid } = this.collectionOf(op, url);
    if (op.method === 'POST' && !uuid) {
      const id = randomUUID();
      const resource: Json = { ...(body as Json), url: `${this.origin}${coll}/${id}`, uuid: id };
      // Documenten: the content comes in as base64 and is answered as its download URL
      if (coll.endsWith('/enkelvoudiginformatieobjecten') && typeof resource.inhoud === 'string') {
        this.contents.set(String(resource.url), Buffer.from(resource.inhoud, 'base64'));
        resource.inhoud = `${String(resource.url)}/download`;
      }
      const ref = schemaRef((op.op.responses as Json)['201'] && ((op.op.responses as Json)['201'] as Json).content);
      if (ref) this.fill(spec, resource, ref);
      // Zaken: the identificatie is generated when left out
      if (coll.endsWith('/zaken') && !resource.identificatie) resource.identificatie = `ZAAK-2026-${String(++this.counter).padStart(10, '0')}`;
      const list = this.resources.get(coll) ?? [];
      list.push(resource);
      this.resources.set(coll, list);
      return [201, resource, { Location: String(resource.url), ...crs }];
    }
    if (op.method === 'GET' && !uuid) {
      const list = (this.resources.get(coll) ?? []).filter((r) => this.matches(r, url.searchParams));
      const ok = (op.op.responses as Json)['200'] as Json | undefined;
      const media = ok?.content ? ((ok.content as Json)['application/json'] as Json | undefined) : undefined;
      if ((media?.schema as Json | undefined)?.type === 'array') return [200, list, crs];
      return [200, { count: list.length, next: null, previous: null, results: list }, crs];
    }
    if (op.method === 'GET' && uuid) {
      const found = (this.resources.get(coll) ?? []).find((r) => r.uuid === uuid);
      if (!found) return [404, this.problem(404, 'not_found', 'Niet gevonden.'), {}];
      return [200, found, crs];
    }
    return [501, this.problem(501, 'not_implemented', `${op.operationId} is niet nagebouwd`), {}];
  }

  /** list filters: a top-level property, kenmerk (Zaken), trefwoorden; an unknown filter fails loudly */
  private matches(r: Json, q: URLSearchParams): boolean {
    for (const [name, value] of q) {
      if (['page', 'pageSize', 'expand', 'ordering'].includes(name)) continue;
      if (name === 'kenmerk') {
        if (!((r.kenmerken as Json[] | undefined) ?? []).some((k) => k.kenmerk === value)) return false;
        continue;
      }
      if (name === 'kenmerk__bron') {
        if (!((r.kenmerken as Json[] | undefined) ?? []).some((k) => k.bron === value)) return false;
        continue;
      }
      // Klantinteracties: a foreign key's uuid/url (klantcontact__uuid on a bijlage is wasBijlageVanKlantcontact)
      const fk = /^(\w+)__(uuid|url)$/.exec(name);
      const fkName = fk && (fk[1] in r ? fk[1] : fk[1] === 'klantcontact' && 'wasBijlageVanKlantcontact' in r ? 'wasBijlageVanKlantcontact' : undefined);
      if (fk && fkName) {
        if (!r[fkName] || (r[fkName] as Json)[fk[2]] !== value) return false;
        continue;
      }
      // Klantinteracties: a field of an identificator (onderwerpobjectidentificatorObjectId)
      const ident = /^(onderwerpobjectidentificator|bijlageidentificator|actoridentificator)([A-Z])(\w*)$/.exec(name);
      if (ident) {
        const obj = r[ident[1]] as Json | undefined;
        if (!obj || obj[ident[2].toLowerCase() + ident[3]] !== value) return false;
        continue;
      }
      if (!(name in r) && name.includes('__')) throw new Error(`filter ${name} is not modelled by the fake server`);
      const v = r[name];
      if (typeof v === 'boolean' ? String(v) !== value : v !== value) return false;
    }
    return true;
  }

  private resolve(spec: LoadedSpec, schema: Json): Json {
    let s = schema;
    while (s && typeof s.$ref === 'string') {
      if (!(s.$ref as string).startsWith('#')) return {};
      s = (s.$ref as string).split('/').slice(1).reduce<Json>((acc, k) => acc[k] as Json, spec.doc);
    }
    return s;
  }

  /** fills the required fields the server sets (read-only ones, foreign key urls) with plausible values */
  private fill(spec: LoadedSpec, data: Json, ref: string): void {
    const schema = this.resolve(spec, { $ref: ref });
    const parts: Json[] = [];
    const collect = (s: Json) => {
      s = this.resolve(spec, s);
      if (Array.isArray(s.allOf)) (s.allOf as Json[]).forEach(collect);
      if (s.discriminator && Array.isArray(s.oneOf)) {
        const d = s.discriminator as { propertyName: string; mapping: Record<string, string> };
        const target = d.mapping[String(data[d.propertyName])];
        if (target) collect({ $ref: target });
      }
      if (s.properties) parts.push(s);
    };
    collect(schema);
    for (const part of parts) {
      const props = part.properties as Record<string, Json>;
      for (const name of (part.required as string[] | undefined) ?? []) {
        if (data[name] === undefined) data[name] = this.sample(spec, props[name] ?? {}, name);
      }
      for (const [name, prop] of Object.entries(props)) {
        const v = data[name];
        const target = this.resolve(spec, prop.allOf ? ((prop.allOf as Json[])[0] as Json) : prop);
        if (v && typeof v === 'object' && !Array.isArray(v) && target.properties) this.fillRef(spec, v as Json, target);
        if (Array.isArray(v) && prop.items) {
          const item = this.resolve(spec, prop.items as Json);
          if (item.properties) for (const x of v) if (x && typeof x === 'object') this.fillRef(spec, x as Json, item);
        }
      }
    }
  }

  private findByUuid(uuid: string): Json | undefined {
    for (const list of this.resources.values()) {
      const hit = list.find((r) => r.uuid === uuid);
      if (hit) return hit;
    }
    return undefined;
  }

  /** a nested object: a foreign key {uuid} gets its url from the stored resource */
  private fillRef(spec: LoadedSpec, v: Json, schema: Json): void {
    if (typeof v.uuid === 'string' && v.url === undefined && (schema.properties as Json).url) {
      for (const list of this.resources.values()) {
        const hit = list.find((r) => r.uuid === v.uuid);
        if (hit) v.url = hit.url;
      }
      if (v.url === undefined) v.url = `${this.origin}${spec.prefix}/onbekend/${String(v.uuid)}`;
    }
  }

  private sample(spec: LoadedSpec, prop: Json, name: string): unknown {
    const p = this.resolve(spec, prop.allOf ? { ...((prop.allOf as Json[])[0] as Json), ...prop } : prop);
    if (p.nullable) return null;
    if (p.type === 'array') return [];
    if (p.type === 'boolean') return false;
    if (p.type === 'integer' || p.type === 'number') return 1;
    if (p.type === 'object') return {};
    if (p.format === 'date-time') return new Date().toISOString();
    if (p.format === 'date') return new Date().toISOString().slice(0, 10);
    if (Array.isArray(p.enum)) return (p.enum as unknown[])[0];
    if (name === 'versie') return 1;
    return '';
  }

  private checkResponse(op: Operation, status: number, body: unknown): void {
    const resp = (op.op.responses as Json)[String(status)] as Json | undefined;
    if (!resp) {
      if (status < 400) this.responseViolations.push(`${op.operationId}: status ${status} not in the specification`);
      return;
    }
    const ref = schemaRef(resp.content);
    if (!ref) return;
    const v = this.validator(op.spec, 'response', ref);
    if (!v(body)) {
      const msg = (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
      this.responseViolations.push(`${op.operationId} ${status}: ${msg}`);
    }
  }
}

// ---- fixtures for the plugin contract tests: a complaint, and an outbox row the way the worker runs it ----


export function sampleComplaint(over: Partial<Complaint> = {}): Complaint {
  return {
    id: 1,
    reference: 'KL-2026-7QK4MX',
    status: 'received',
    route: 'complaint',
    story: 'Ik heb drie keer gebeld over mijn aanvraag voor een parkeervergunning en niemand belde terug.',
    incidentDate: '2026-11-20',
    incidentDateFrom: '2026-11-20',
    incidentDateTo: '2026-11-20',
    incidentDateText: 'vorige week vrijdag',
    placeKind: 'phone',
    place: 'telefonisch',
    personKind: 'department',
    person: 'Parkeren',
    solution: 'Dat iemand mij terugbelt.',
    contact: { name: 'Jan de Vries', phone: '+31612345678', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen', email: 'jan@example.org' },
    callback: null,
    locale: 'nl',
    channel: 'directline',
    conversationId: 'conv-zgw-1',
    createdAt: '2026-11-24T09:00:00.000Z',
    updatedAt: '2026-11-24T09:00:00.000Z',
    ...over,
  } as Complaint;
}

export function sampleCallback(over: Partial<StoredCallback> = {}): StoredCallback {
  return {
    id: 7,
    reference: 'TB-2026-7QK4MX',
    complaintReference: null,
    status: 'open',
    name: 'Jan de Vries',
    phone: '+31612345678',
    date: '2026-11-26',
    partOfDay: 'morning',
    topic: 'mijn parkeervergunning',
    locale: 'nl',
    channel: 'directline',
    conversationId: 'conv-cb-1',
    createdAt: '2026-11-24T09:00:00.000Z',
    ...over,
  } as StoredCallback;
}

/** An outbox row kept in memory; `attempt(plugin)` runs one attempt the way the worker does. */
export class TestRow {
  attempts = 0;
  state: Record<string, unknown> = {};
  readonly others = new Map<DeliveryTarget, Pick<Delivery, 'status' | 'state'>>();

  constructor(
    readonly subject: DeliverySubject,
    readonly target: DeliveryTarget,
    readonly data: { complaint?: Complaint; callback?: StoredCallback; transcript?: string[] } = {},
  ) {}

  deps(): DeliveryDeps {
    return {
      municipality: loadMunicipality(),
      complaint: async (ref) => (this.data.complaint?.reference === ref ? this.data.complaint : undefined),
      callback: async (id) => (this.data.callback?.id === id ? this.data.callback : undefined),
      transcript: async () => this.data.transcript ?? [JSON.stringify({ type: 'message', from: { role: 'user' }, text: 'Ik wil een klacht indienen' })],
      staffLink: (ref) => `http://staff.example/staff/#/complaints/${ref}`,
      failedSince: async () => [],
      deliveryState: async (_subject, target) => this.others.get(target),
      now: () => new Date(),
    };
  }

  /** one attempt: resolves with undefined when sent, or the error */
  async attempt(plugin: DeliveryPlugin, timeoutMs = 10_000): Promise<Error | undefined> {
    const delivery: Delivery = {
      id: 1,
      subject: this.subject,
      target: this.target,
      status: 'sending',
      attempts: this.attempts,
      nextAttemptAt: null,
      lastError: null,
      state: { ...this.state },
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      sentAt: null,
    };
    this.attempts += 1;
    try {
      await plugin.deliver({
        delivery,
        state: { ...this.state },
        save: async (s) => {
          this.state = { ...this.state, ...s };
        },
        signal: AbortSignal.timeout(timeoutMs),
        deps: this.deps(),
      });
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }
}
