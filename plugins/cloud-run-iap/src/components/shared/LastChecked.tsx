import { useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { formatAgo, formatTime } from './time';

/** "Last checked 5 minutes ago", kept current while the page stays open. */
export function LastChecked(props: {
  fetchedAt: string;
  fromCache: boolean;
  everyMs?: number;
}) {
  const { fetchedAt, fromCache, everyMs = 15_000 } = props;
  const [now, setNow] = useState(Date.now);
  useInterval(() => setNow(Date.now()), everyMs);
  return (
    <span title={formatTime(fetchedAt)}>
      Last checked {formatAgo(fetchedAt, now)}
      {fromCache ? ' (cached)' : ''}
    </span>
  );
}
