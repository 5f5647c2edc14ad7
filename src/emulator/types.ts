// The emulator's data model: the persisted state (EmulatorState) and the seed file (SeedDoc)
// it is created from. Field names follow the API (../shared/api/NOTES.md) where the API has one;
// everything here is stored form (e.g. a git group_prefix keeps the trailing "/" the API appends).
// Documented for users in src/emulator/README.md.

export type RoleType = 'enterprise' | 'org';

export interface StateRole {
  role_id: string;
  role_name: string;
  role_type: RoleType;
  /** Never returned by the API; decides what a holder may do. */
  permissions: string[];
}

/** org_id null = an enterprise-level assignment; otherwise the assignment belongs to that org. */
export interface StateRoleAssignment {
  role_id: string;
  org_id: string | null;
}

export type GitProviderType =
  | 'github_token' | 'github_individual_token' | 'github_app' | 'gitlab_token'
  | 'gitlab_oauth' | 'azure_devops_oauth' | 'bitbucket_oauth' | 'bitbucket_token';

export interface StateGitConnection {
  git_connection_id: string;
  git_provider_type: GitProviderType;
  name: string | null;
  host: string;
  created_at: number;
}

export interface StateOrganization {
  org_id: string;
  name: string;
  max_session_acu_limit: number | null;
  max_cycle_acu_limit: number | null;
  created_at: number;
  updated_at: number;
}

export interface StateGitPermission {
  git_permission_id: string;
  org_id: string;
  git_connection_id: string;
  repo_path: string | null;
  /** Stored with a trailing "/" (D10); returned without it. */
  group_prefix: string | null;
  /** Stored with a trailing "/" (D10); returned without it. */
  prefix_path: string | null;
  read_only: boolean;
  created_at: number;
}

export interface StateOrgTags {
  /** Always sorted and unique. */
  tags: string[];
  default_tag: string | null;
}

/** `dictionary` is a legacy type: it can be seeded and listed, never created through the API. */
export type SecretType = 'cookie' | 'key-value' | 'totp' | 'dictionary';

export interface StateSecret {
  secret_id: string;
  org_id: string;
  key: string | null;
  /** Lives only in the emulator's state; never returned. */
  value: string;
  secret_type: SecretType;
  is_sensitive: boolean;
  note: string | null;
  access_type: 'org' | 'personal';
  created_by: string;
  created_at: number;
  updated_at: number | null;
  updated_by: string | null;
}

export interface StateIdpGroup {
  idp_group_name: string;
  created_at: number;
  /** Seeded only (no endpoint adds or removes members, D19); a group with members cannot be deleted. */
  members: string[];
  role_assignments: StateRoleAssignment[];
}

export interface StateServiceUser {
  service_user_id: string;
  name: string;
  /** Scope: null = enterprise service user; an org id = org-scoped (provisioned in, and deleted with, that org). */
  org_id: string | null;
  created_at: number;
  expires_at: number | null;
  deleted_at: number | null;
  role_assignments: StateRoleAssignment[];
}

export interface StateToken {
  token: string;
  service_user_id: string;
  /** Set when the token belongs to an API key (revoking the key invalidates it). */
  api_key_id?: string;
}

export interface StateApiKey {
  api_key_id: string;
  service_user_id: string;
  api_key_name: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface StateOrgGroup {
  org_ids: string[];
  max_cycle_acus: number | null;
}

export interface EmulatorFeatures {
  /** Organization (session) tags endpoints; off → 404 with a detail. */
  session_tags: boolean;
  /** Org-group limits endpoints; off → 404 {"detail": "Not Found"}. */
  org_group_limits: boolean;
}

export const STATE_FORMAT = 'devinctl-emulator-state';

export interface EmulatorState {
  format: typeof STATE_FORMAT;
  version: 1;
  /** The token RunningEmulator.adminToken reports (one of `tokens`). */
  admin_token: string;
  features: EmulatorFeatures;
  /** Enterprise permission → org permissions it grants in every org (D21). */
  implied_org_permissions: Record<string, string[]>;
  /** Applied when an organization is created without max_session_acu_limit. */
  default_max_session_acu_limit: number | null;
  roles: StateRole[];
  git_connections: StateGitConnection[];
  organizations: StateOrganization[];
  git_permissions: StateGitPermission[];
  /** Keyed by org_id; an org without an entry has no tags and no default. */
  tags: Record<string, StateOrgTags>;
  secrets: StateSecret[];
  idp_groups: StateIdpGroup[];
  service_users: StateServiceUser[];
  tokens: StateToken[];
  api_keys: StateApiKey[];
  org_group_limits: { groups: Record<string, StateOrgGroup> };
}

// ---------------------------------------------------------------------------------------------
// Seed: the state with defaults and a few conveniences. Every list is optional.

type Opt<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export interface SeedServiceUser extends Opt<StateServiceUser, 'org_id' | 'created_at' | 'expires_at' | 'deleted_at' | 'role_assignments'> {
  /** Convenience: expires_at = load time + N days. */
  expires_in_days?: number;
}

export interface SeedSecret extends Opt<StateSecret, 'secret_type' | 'is_sensitive' | 'note' | 'access_type' | 'created_by' | 'created_at' | 'updated_at' | 'updated_by'> {
  /** Alias of secret_type, as in the create request; one of the two is required. */
  type?: SecretType;
}

export interface SeedDoc {
  $comment?: string;
  version: 1;
  admin_token?: string;
  features?: Partial<EmulatorFeatures>;
  implied_org_permissions?: Record<string, string[]>;
  default_max_session_acu_limit?: number | null;
  roles?: StateRole[];
  git_connections?: Opt<StateGitConnection, 'created_at' | 'name'>[];
  organizations?: Opt<StateOrganization, 'max_session_acu_limit' | 'max_cycle_acu_limit' | 'created_at' | 'updated_at'>[];
  git_permissions?: Opt<StateGitPermission, 'repo_path' | 'group_prefix' | 'prefix_path' | 'read_only' | 'created_at'>[];
  tags?: Record<string, { tags: string[]; default_tag?: string | null }>;
  secrets?: SeedSecret[];
  idp_groups?: Opt<StateIdpGroup, 'created_at' | 'members' | 'role_assignments'>[];
  service_users?: SeedServiceUser[];
  tokens?: StateToken[];
  api_keys?: Opt<StateApiKey, 'created_at' | 'expires_at' | 'revoked_at' | 'last_used_at'>[];
  org_group_limits?: { groups: Record<string, { org_ids: string[]; max_cycle_acus?: number | null }> };
}
