// The enterprise service-user list (with inactive ones), read once per run and shared by the
// service-user and service-user-org-role kinds: it holds every service user, org-scoped ones
// included, with all their role assignments (D4).
import type { ApiClient } from '../api/types.js';
import type { ReadContext } from '../engine/types.js';

export interface LiveServiceUser {
  service_user_id: string;
  name: string;
  expires_at: number | null;
  deleted_at?: number | null;
  role_assignments: { role: { role_id: string; role_name: string; role_type: string }; org_id: string | null }[];
}

export const SU_MEMBERS = '/v3/enterprise/members/service-users';

export function liveServiceUsers(api: ApiClient, ctx: Pick<ReadContext, 'shared'>): Promise<LiveServiceUser[]> {
  return ctx.shared('service-users', async () => {
    const all = await api.list<LiveServiceUser>(SU_MEMBERS, { include_inactive: true }, { label: 'service users' });
    return all.filter((s) => !s.deleted_at);
  });
}

/** An enterprise service user holds an enterprise role; one without is org-scoped (D4). */
export function enterpriseRole(su: LiveServiceUser): string | undefined {
  return su.role_assignments.find((a) => a.org_id === null)?.role.role_name;
}
