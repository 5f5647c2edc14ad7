// Org secrets under /v3/organizations/{org_id}/secrets (org permission ManageOrgSecrets): list,
// create, delete. The value is stored in the emulator state only and never returned. Validation
// errors echo the input like FastAPI (D13: a totp value that is not base32 is echoed; the canary
// test relies on it). Deleting a secret that does not exist answers 403, not 404 (NOTES quirk 2).
import { inOrg } from '../auth.js';
import { forbidden, invalid, valueError } from '../errors.js';
import { newId } from '../ids.js';
import { pageOf } from '../pagination.js';
import type { Route } from '../router.js';
import type { SecretType } from '../types.js';
import { bool, obj, opt, req, str, validateBody } from '../validate.js';
import { findOrg, secretView } from '../views.js';

const BASE = '/v3/organizations/{org_id}/secrets';
const perm = inOrg('ManageOrgSecrets');
export const SECRET_KEY_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
const BASE32 = /^[A-Z2-7]+=*$/;

interface SecretBody {
  type: Exclude<SecretType, 'dictionary'>;
  key: string;
  value: string;
  is_sensitive: boolean;
  note?: string | null;
}

const schema = obj({
  type: req(str({ enum: ['cookie', 'key-value', 'totp'] })),
  key: req(str({ pattern: SECRET_KEY_PATTERN })),
  value: req(str({ minLength: 1, maxLength: 65_536 })),
  is_sensitive: opt(bool(), true),
  note: opt(str({ nullable: true })),
});

export const secretRoutes: Route[] = [
  {
    method: 'GET',
    path: BASE,
    permission: perm,
    paged: true,
    handle: ({ state, params, query }) => {
      findOrg(state, params.org_id);
      return { body: pageOf(state.secrets.filter((s) => s.org_id === params.org_id).map(secretView), query) };
    },
  },
  {
    method: 'POST',
    path: BASE,
    permission: perm,
    handle: ({ state, params, body, caller, now }) => {
      const b = validateBody<SecretBody>(body, schema);
      if (b.type === 'totp' && !BASE32.test(b.value)) {
        throw invalid([valueError(['body', 'value'], b.value, 'a totp secret value must be base32 (A-Z, 2-7, optional = padding)')]);
      }
      findOrg(state, params.org_id);
      const secret = {
        secret_id: newId('secret-'),
        org_id: params.org_id,
        key: b.key,
        value: b.value,
        secret_type: b.type,
        is_sensitive: b.is_sensitive,
        note: b.note ?? null,
        access_type: 'org' as const,
        created_by: caller.serviceUser.service_user_id,
        created_at: now,
        updated_at: null,
        updated_by: null,
      };
      state.secrets.push(secret);
      return { body: secretView(secret) };
    },
  },
  {
    method: 'DELETE',
    path: `${BASE}/{secret_id}`,
    permission: perm,
    handle: ({ state, params }) => {
      findOrg(state, params.org_id);
      const secret = state.secrets.find((s) => s.org_id === params.org_id && s.secret_id === params.secret_id);
      if (!secret) throw forbidden('Not authorized to access this secret');
      state.secrets = state.secrets.filter((s) => s !== secret);
      return { body: secretView(secret) };
    },
  },
];
