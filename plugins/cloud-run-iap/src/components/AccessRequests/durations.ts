import { AccessRequestDuration } from '../../api';

/** The durations a requester may pick, in the order offered. */
export const DURATION_TEXT: Record<AccessRequestDuration, string> = {
  P1D: '1 day',
  P7D: '7 days',
  P30D: '30 days',
  permanent: 'Permanent (where the portal allows it)',
};

export const MAX_JUSTIFICATION = 1000;

/** Why the justification cannot be sent, or undefined. */
export function justificationProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) {
    return 'Say why you need access: the owners decide on it';
  }
  if (trimmed.length > MAX_JUSTIFICATION) {
    return `At most ${MAX_JUSTIFICATION} characters (this has ${trimmed.length})`;
  }
  return undefined;
}

/** The body field a backend message names (`duration: …`, `justification must …`), if any. */
export function fieldNamedBy(
  message: string,
): 'justification' | 'duration' | 'service' | undefined {
  const match = /\b(justification|duration|service)\b/.exec(message);
  return match
    ? (match[1] as 'justification' | 'duration' | 'service')
    : undefined;
}
