/** "42 seconds", "5 minutes", "3 hours", "2 days". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${s} second${s === 1 ? '' : 's'}`;
}

/** "5 minutes ago", or "just now" under ten seconds. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return 'at an unknown time';
  }
  const seconds = (now - then) / 1000;
  return seconds < 10 ? 'just now' : `${formatDuration(seconds)} ago`;
}

/** A readable absolute time in the browser's locale. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "in 3 days" for a time to come, "ended 2 hours ago" for one past. */
export function formatUntil(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return 'at an unknown time';
  }
  const seconds = (then - now) / 1000;
  return seconds > 0
    ? `in ${formatDuration(seconds)}`
    : `ended ${formatDuration(-seconds)} ago`;
}
