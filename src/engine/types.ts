// The engine's vocabulary: resource objects, changes, plans, and the ResourceKind seam.
// Desired and live objects have the same shape (octoDNS habit), so diff never branches on a kind.
//
// What before/after mean for each action (Terraform habit):
//   create   before = undefined          after = desired spec
//   update   before = live spec          after = live spec overlaid with the desired (managed) fields
//   replace  before = live spec          after = as for update; executed delete-then-create by the kind
//   delete   before = live spec          after = undefined
//   no-op    before = live spec          after = before
import type { ApiClient } from '../api/types.js';
import type { DesiredDoc, Diagnostic, DocPath, Position } from '../config/types.js';
import type { Fingerprinter } from './fingerprint.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type Spec = { [field: string]: JsonValue | undefined };

/** One managed object, desired or live, in canonical shape. */
export interface ResourceObject<S extends Spec = Spec> {
  kind: string;
  key: string; // address = `${kind}:${key}`
  spec: S;
  /** Scope that owns the object: an organization key for org collections, '' for enterprise ones. */
  parent: string;
  /** Live identifiers and facts not diffed (ids, expiry...). Live side only. */
  meta?: Record<string, JsonValue>;
  /** Where the desired object was written. Desired side only. */
  pos?: Position;
}

export interface FieldDiff {
  field: string;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
  /** The field is masked in every output (the kind's `sensitive`). */
  sensitive?: boolean;
}

export interface Change {
  address: string;
  kind: string;
  key: string;
  parent: string;
  action: Exclude<Action, 'no-op'>;
  before?: Spec;
  after?: Spec;
  fields: FieldDiff[];
  /** Addresses of changes that must finish first. */
  deps: string[];
  /** Deleted by the API together with its organization (D18): no call is made. */
  cascade?: boolean;
  /** Fields of before/after masked in every output (from the kind). */
  sensitive?: string[];
  /** Why a replace or a notable update happens, shown in the plan. */
  reason?: string;
  meta?: Record<string, JsonValue>;
}

export interface Plan {
  changes: Change[]; // execution order
  warnings: Diagnostic[];
  summary: { create: number; update: number; replace: number; delete: number };
}

/** Shared lookups read once per run (roles, connections, organizations, the caller). */
export interface Role {
  role_id: string;
  role_name: string;
  role_type: 'enterprise' | 'org';
}
export interface GitConnection {
  git_connection_id: string;
  name: string | null;
  host: string;
  git_provider_type?: string;
}
export interface LiveOrganization {
  org_id: string;
  name: string;
  max_session_acu_limit: number | null;
  max_cycle_acu_limit: number | null;
}
export interface Caller {
  service_user_id: string | null;
  service_user_name: string | null;
  org_id: string | null;
}

export interface Lookups {
  roles: Role[];
  connections: GitConnection[];
  organizations: LiveOrganization[];
  caller: Caller | null;
  /** org_id -> organization key used in addresses (desired name when pinned by id, else live name). */
  orgKeyById: Map<string, string>;
  /** organization key -> live org_id (absent for orgs to be created). */
  orgIdByKey: Map<string, string>;
  /** Organizations of the file whose `id` pin matches no live organization. */
  unmatchedPins?: string[];
  /** Pins that would rename a live organization whose current name is also a key of the file. */
  pinConflicts?: { name: string; liveName: string }[];
}

export interface DesiredContext {
  doc: DesiredDoc;
  locate(path: DocPath): Position;
  lookups: Lookups;
  /** Secret values by "org/KEY"; undefined with --skip-secret-values. */
  secretValues?: Map<string, string>;
  fingerprinter?: Fingerprinter;
  /** Organizations this plan deletes (set before the kinds' checks run). */
  cascade?: ReadonlySet<string>;
  /** --adopt-secrets: replace secrets whose marker this run cannot check (D11). */
  adoptSecrets?: boolean;
}

export interface DesiredResult<S extends Spec = Spec> {
  objects: ResourceObject<S>[];
  /** Scopes where this kind's collection is authoritative ('' = the enterprise). */
  owned: string[];
  diagnostics: Diagnostic[];
}

export interface ReadContext {
  lookups: Lookups;
  /** Scopes to read: owned ones plus organizations being deleted (to show cascades). */
  scopes: string[];
  /** Organizations being deleted by this plan (D18). */
  cascade: ReadonlySet<string>;
  /** One read shared by several kinds in a run (e.g. the enterprise service-user list). */
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
  /** A warning about live state (e.g. a legacy secret type), shown with the plan. */
  warn(message: string, at?: DocPath): void;
}

/** What the executor passes to a kind's writers. */
export interface ExecContext {
  api: ApiClient;
  lookups: Lookups;
  /** org_id of an organization key, including ones created earlier in this apply. */
  orgId(orgKey: string): string;
  roleId(type: 'enterprise' | 'org', name: string): string;
  /** Record an id created by this change (journal). */
  created(id: string): void;
  /** Live ids by address, from the read and from creates earlier in this apply. */
  liveIds: Map<string, string>;
  secretValues?: Map<string, string>;
  fingerprinter?: Fingerprinter;
  tokenSink?: (entry: { name: string; id: string; token: string }) => Promise<void>;
  /** The desired objects of the whole plan, by address (for writes that send a whole collection). */
  desired: Map<string, ResourceObject>;
}

export interface ResourceKind<S extends Spec = Spec> {
  /** Equals the file name in src/kinds/. */
  name: string;
  /** Human name of the collection, e.g. "git permissions". */
  collection: string;
  desired(ctx: DesiredContext): DesiredResult<S>;
  read(api: ApiClient, ctx: ReadContext): Promise<ResourceObject<S>[]>;
  /** Addresses that must exist before this object (its parent organization, its role holder...). */
  references?(obj: ResourceObject<S>): string[];
  /** Names that match a live one only up to case or spacing are a plan error (D17). */
  foldCase?: boolean;
  /** Fields whose change forces a replace. */
  immutable?: readonly (keyof S & string)[];
  /** Fields masked in every output. */
  sensitive?: readonly (keyof S & string)[];
  /** Compare two specs field by field; default: canonical JSON equality of each desired field. */
  equal?(field: string, desired: JsonValue | undefined, live: JsonValue | undefined): boolean;
  /** Plan-time checks that need both sides (e.g. D9: dropping a hands-off default tag). */
  check?(desired: ResourceObject[], live: ResourceObject[], ctx: DesiredContext): Diagnostic[];
  /** A kind's own words for why a change happens (shown in the plan). */
  describe?(change: Change): string | undefined;
  /** Run one change. */
  apply(change: Change, ec: ExecContext): Promise<void>;
  /** Changes sharing a batch key run as one call (bulk endpoints). */
  batch?: {
    key(change: Change): string | undefined;
    limit: number;
    /** All changes with one key run as one call, after the union of their dependencies. */
    together?: boolean;
    apply(changes: Change[], ec: ExecContext): Promise<void>;
  };
}
