import { formatUntil } from './time';

describe('formatUntil', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('says how long until a time to come', () => {
    expect(formatUntil('2026-12-04T13:00:00Z', now)).toBe('in 3 days');
  });

  it('says how long ago a past time ended', () => {
    expect(formatUntil('2026-12-01T10:00:00Z', now)).toBe('ended 2 hours ago');
  });

  it('does not guess an unreadable time', () => {
    expect(formatUntil('soon', now)).toBe('at an unknown time');
  });
});
