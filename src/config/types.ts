// Types of the desired-state file (version 1) after loading and merging, and of diagnostics.
// The loader (config/load.ts) produces these; the kinds read them. See DESIGN.md "The file".

/** A position in a source file, 1-based line and column. */
export interface Position {
  file: string;
  line: number;
  col: number;
}

/** A user mistake (or a warning) found while loading, validating or planning. */
export interface Diagnostic extends Position {
  severity: 'error' | 'warning';
  message: string;
}

export type SecretType = 'key-value' | 'cookie' | 'totp';

export interface GitPermissionDoc {
  connection: string; // name, host or id of a git connection
  repo_path?: string;
  group_prefix?: string;
  prefix_path?: string;
  read_only?: boolean;
}

export interface TagsDoc {
  allowed: string[];
  default?: string | null; // absent = hands-off, null = clear
}

export interface SecretDoc {
  /** The raw reference as written, e.g. "${NPM_TOKEN}". Absent = value hands-off. Never a literal. */
  value?: string;
  /** Name of the environment variable the value comes from (parsed from `value`). */
  value_var?: string;
  type?: SecretType; // default key-value
  note?: string;
  sensitive?: boolean; // default true
}

export interface ServiceUserDoc {
  role: string;
  ttl_days?: number;
}

export interface OrganizationDoc {
  id?: string;
  max_session_acu_limit?: number | null;
  max_cycle_acu_limit?: number | null;
  git_permissions?: GitPermissionDoc[];
  tags?: TagsDoc | null;
  secrets?: Record<string, SecretDoc>;
  idp_groups?: Record<string, string>; // group -> org role name
  /** string = enterprise service user given this org role; object = org-scoped service user. */
  service_users?: Record<string, string | ServiceUserDoc>;
}

export interface IdpGroupDoc {
  role?: string | null; // absent = enterprise role hands-off; null = remove it
}

export interface OrgGroupLimitDoc {
  max_cycle_acus: number | null;
  organizations: string[];
}

export interface SettingsDoc {
  /** collection or kind name -> globs matched against the address key (the part after `kind:`). */
  ignore?: Record<string, string[]>;
  max_delete_percent?: number;
  rate_limit?: { rps?: number };
}

export interface EnterpriseDoc {
  idp_groups?: Record<string, IdpGroupDoc>;
  service_users?: Record<string, ServiceUserDoc>;
  org_group_limits?: Record<string, OrgGroupLimitDoc>;
}

export interface DesiredDoc {
  version: 1;
  settings?: SettingsDoc;
  enterprise?: EnterpriseDoc;
  organizations?: Record<string, OrganizationDoc>;
}

/** A JSON path into the merged document, e.g. ['organizations', 'frontend', 'git_permissions', 0]. */
export type DocPath = readonly (string | number)[];

export interface LoadedConfig {
  doc: DesiredDoc;
  /** Where a node of the merged document was written (the nearest ancestor's position if the node has none). */
  locate(path: DocPath): Position;
  files: string[];
  /** SHA-256 (hex) over canonical JSON of the merged document (secret references, never values). */
  digest: string;
}

export interface LoadResult {
  config?: LoadedConfig; // absent when there are errors
  /** The best-effort document when there are errors (for live checks that add to them); may be malformed. */
  partial?: { doc: DesiredDoc; locate(path: DocPath): Position; files: string[] };
  diagnostics: Diagnostic[]; // errors and warnings, sorted by file, line, col
}
