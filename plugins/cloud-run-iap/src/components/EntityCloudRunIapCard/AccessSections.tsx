import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import { useId } from 'react';
import { AccessSection } from './accessTabSections';

function SectionFrame(props: {
  title?: string;
  framed: boolean;
  children: React.ReactNode;
}) {
  const headingId = useId();
  const heading = props.title && (
    <Text
      id={headingId}
      as={props.framed ? 'h3' : 'h4'}
      variant={props.framed ? 'title-small' : 'title-x-small'}
      weight="bold"
    >
      {props.title}
    </Text>
  );
  const labelledBy = props.title ? headingId : undefined;
  if (props.framed) {
    return (
      <Card aria-labelledby={labelledBy} role="region">
        {heading && <CardHeader>{heading}</CardHeader>}
        <CardBody>{props.children}</CardBody>
      </Card>
    );
  }
  return (
    <section aria-labelledby={labelledBy}>
      {heading}
      {props.children}
    </section>
  );
}

/**
 * Renders sections in order, each under its heading: as cards of their own on the Access tab
 * (`framed`), or one after the other inside a card.
 */
export function AccessSections<P extends object>(props: {
  sections: ReadonlyArray<AccessSection<P>>;
  sectionProps: P;
  framed: boolean;
}) {
  const { sections, sectionProps, framed } = props;
  return (
    <Flex direction="column" gap={framed ? '4' : '3'}>
      {sections
        .filter(s => !s.isShown || s.isShown(sectionProps))
        .map(s => (
          <SectionFrame
            key={s.id}
            title={s.title?.(sectionProps)}
            framed={framed}
          >
            <s.Component {...sectionProps} />
          </SectionFrame>
        ))}
    </Flex>
  );
}
