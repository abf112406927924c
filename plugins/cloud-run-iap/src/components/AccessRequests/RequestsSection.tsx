import {
  Alert,
  Button,
  Card,
  CardBody,
  Flex,
  Skeleton,
  Text,
} from '@backstage/ui';
import { ReactNode } from 'react';
import { CloudRunIapErrorInfo } from '../../api';

/** A titled card with the loading, error and content states of a request list. */
export function RequestsSection(props: {
  id: string;
  title: string;
  description?: string;
  loading: boolean;
  error?: CloudRunIapErrorInfo;
  onRetry: () => void;
  children: ReactNode;
}) {
  const { id, title, description, loading, error, onRetry, children } = props;
  return (
    <Card role="region" aria-labelledby={id}>
      <CardBody>
        <Flex direction="column" gap="2">
          <Text as="h3" variant="title-x-small" id={id}>
            {title}
          </Text>
          {description && (
            <Text as="p" variant="body-medium" color="secondary">
              {description}
            </Text>
          )}
          {error && (
            <Alert
              role="alert"
              status={error.kind === 'permission-denied' ? 'info' : 'danger'}
              icon
              title="The access requests could not be loaded"
              description={error.message}
              customActions={
                <Button size="small" variant="secondary" onPress={onRetry}>
                  Retry
                </Button>
              }
            />
          )}
          {!error && loading && (
            <div
              role="progressbar"
              aria-label={`Loading ${title.toLowerCase()}`}
            >
              <Skeleton width="100%" height={24} />
              <Skeleton width="100%" height={24} />
            </div>
          )}
          {!error && !loading && children}
        </Flex>
      </CardBody>
    </Card>
  );
}
