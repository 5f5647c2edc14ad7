// Glob matching for --target and settings.ignore (D1): `*` matches within one segment
// (segments are separated by `/` and `:`), `**` matches across segments, `?` one character.
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        src += '.*';
        i++;
      } else src += '[^/:]*';
    } else if (c === '?') src += '[^/:]';
    else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`);
  cache.set(glob, re);
  return re;
}

export function matchGlob(glob: string, text: string): boolean {
  return globToRegExp(glob).test(text);
}

export function matchAny(globs: readonly string[], text: string): boolean {
  return globs.some((g) => matchGlob(g, text));
}
