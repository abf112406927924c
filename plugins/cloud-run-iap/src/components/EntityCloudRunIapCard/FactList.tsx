import { Text } from '@backstage/ui';
import { ReactNode } from 'react';

/** Terms and values as a two-column description list. */
export function FactList(props: {
  facts: Array<[string, ReactNode]>;
  label?: string;
  breakValues?: 'word' | 'all';
}) {
  return (
    <Text
      as="div"
      variant="body-medium"
      style={{ margin: 'var(--bui-space-2) 0' }}
    >
      <dl
        aria-label={props.label}
        style={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          columnGap: 'var(--bui-space-4)',
          rowGap: 'var(--bui-space-1)',
          margin: 0,
        }}
      >
        {props.facts.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt style={{ color: 'var(--bui-fg-secondary)' }}>{term}</dt>
            <dd
              style={{
                margin: 0,
                wordBreak:
                  props.breakValues === 'all' ? 'break-all' : 'break-word',
              }}
            >
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </Text>
  );
}
