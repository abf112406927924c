/** `projects/p/locations/r/services/s` → `s`. */
export function shortServiceName(name: string): string {
  return name.split('/').pop() ?? name;
}

/** `projects/p/locations/r/services/s` → `r`. */
export function serviceRegion(name: string): string | undefined {
  return name.split('/')[3];
}

/** A name usable in an HTML id: everything but letters, digits, `_` and `-` becomes `_`. */
export function domIdPart(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_');
}
