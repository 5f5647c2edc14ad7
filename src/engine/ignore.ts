// settings.ignore: globs per collection that carve live objects out of reach. Ignored live
// objects are copied into desired before the diff (DNSControl habit), so they plan as no-ops;
// the children of an ignored organization are ignored with it.
import type { SettingsDoc } from '../config/types.js';
import { matchAny } from './glob.js';

/** settings.ignore keys: collection names of the file, or kind names (D1). */
export const IGNORE_KEYS: Record<string, string> = {
  organizations: 'organization',
  git_permissions: 'git-permission',
  tags: 'tags',
  secrets: 'secret',
  idp_groups: 'idp-group',
  idp_group_org_roles: 'idp-group-org-role',
  service_users: 'service-user',
  service_user_org_roles: 'service-user-org-role',
  org_group_limits: 'org-group-limit',
};

export type IgnoreMatcher = (o: { kind: string; key: string; parent: string }) => boolean;

export function ignoreMatcher(settings: SettingsDoc | undefined): IgnoreMatcher {
  const byKind = new Map<string, string[]>();
  const whole: string[] = [];
  for (const [name, globs] of Object.entries(settings?.ignore ?? {})) {
    if (name === 'addresses') whole.push(...globs);
    else {
      const kind = IGNORE_KEYS[name] ?? name;
      byKind.set(kind, [...(byKind.get(kind) ?? []), ...globs]);
    }
  }
  const orgGlobs = byKind.get('organization') ?? [];
  return (o) => {
    if (whole.length && matchAny(whole, `${o.kind}:${o.key}`)) return true;
    const globs = byKind.get(o.kind);
    if (globs && matchAny(globs, o.key)) return true;
    return o.parent !== '' && orgGlobs.length > 0 && matchAny(orgGlobs, o.parent);
  };
}
