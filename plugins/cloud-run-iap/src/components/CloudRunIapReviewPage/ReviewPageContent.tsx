import {
  Alert,
  Button,
  Container,
  Flex,
  Skeleton,
  Switch,
  Text,
} from '@backstage/ui';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { classifyCloudRunIapError } from '../../api';
import { PendingAccessRequests } from '../AccessRequests';
import { formatTime } from '../shared/time';
import { CsvDownloadButton } from './CsvDownloadButton';
import { OwnerPicker } from './OwnerPicker';
import { ReviewSummary } from './ReviewSummary';
import { ReviewTable } from './ReviewTable';
import { UnownedServices } from './UnownedServices';
import { useOwnerChoices, useReview } from './useReview';

function LoadingReview() {
  return (
    <Flex
      direction="column"
      gap="2"
      role="progressbar"
      aria-busy="true"
      aria-label="Loading review"
    >
      <Skeleton width="100%" height={80} />
      {[0, 1, 2, 3, 4].map(i => (
        <Skeleton key={i} width="100%" height={32} />
      ))}
    </Flex>
  );
}

function ReviewBody(props: {
  owner: string;
  byPerson: boolean;
  /** A change of it reads the review again (e.g. after a request was approved). */
  reloadKey: number;
}) {
  const { owner, byPerson, reloadKey } = props;
  const { value, loading, error, retry } = useReview(
    owner,
    byPerson,
    reloadKey,
  );
  if (loading && !value) {
    return <LoadingReview />;
  }
  if (error) {
    const info = classifyCloudRunIapError(error);
    if (info.kind === 'permission-denied') {
      return (
        <Alert
          status="info"
          icon
          title="You may not review this owner's apps"
          description="Reading access needs the cloud-run-iap.access.read permission."
        />
      );
    }
    return (
      <Alert
        status="danger"
        icon
        title={
          info.kind === 'invalid-input'
            ? 'That owner cannot be reviewed'
            : 'The review could not be loaded'
        }
        description={info.message}
        customActions={
          <Button size="small" variant="secondary" onPress={retry}>
            Retry
          </Button>
        }
      />
    );
  }
  if (!value) {
    return null;
  }
  const missing = value.unavailableServices.length + value.errors.length > 0;
  return (
    <>
      <Text
        as="p"
        variant="body-small"
        color="secondary"
        style={{ marginBottom: 'var(--bui-space-2)' }}
      >
        Generated {formatTime(value.generatedAt)} for {value.owner}
      </Text>
      <ReviewSummary review={value} />
      {missing && (
        <Alert
          status="warning"
          icon
          mb="4"
          title="Some apps are missing from this review"
          description={
            <ul style={{ margin: 0 }}>
              {value.unavailableServices.map(u => (
                <li key={`${u.entityRef}|${u.resourceName}`}>
                  {u.entityRef}: {u.resourceName} ({u.reason}) {u.message}
                </li>
              ))}
              {value.errors.map(e => (
                <li key={e.entityRef}>
                  {e.entityRef}: {e.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <ReviewTable rows={value.rows} />
    </>
  );
}

/**
 * The access review of every app an owner owns: the pending requests the user may decide, the
 * owner, counts, filters, rows (each app's history one click away), a CSV download, and the
 * owner's discovered services with IAP off or linked to no app. The page's header comes from the app (new frontend system) or from
 * `CloudRunIapReviewPage` (legacy).
 */
export function ReviewPageContent() {
  const [params, setParams] = useSearchParams();
  const choices = useOwnerChoices();
  const options = choices.value ?? [];
  const owner = params.get('owner') ?? options[0];
  const byPerson = params.get('expand') === 'people';
  const [reloadKey, setReloadKey] = useState(0);
  const reloadReview = useCallback(() => setReloadKey(k => k + 1), []);

  const choose = (value: string) =>
    setParams({ owner: value, ...(byPerson ? { expand: 'people' } : {}) });
  const showByPerson = (on: boolean) =>
    setParams({
      ...(owner ? { owner } : {}),
      ...(on ? { expand: 'people' } : {}),
    });

  return (
    <Container py="4">
      <Text as="p" style={{ marginBottom: 'var(--bui-space-4)' }}>
        Who can reach every Cloud Run app an owner owns, through Identity-Aware
        Proxy, and how well context-aware access covers them.
      </Text>
      <div style={{ marginBottom: 'var(--bui-space-4)' }}>
        <PendingAccessRequests onDecided={reloadReview} />
      </div>
      <Flex gap="4" align="end" mb="4" style={{ flexWrap: 'wrap' }}>
        <OwnerPicker owner={owner} choices={options} onChoose={choose} />
        <Switch
          label="One row per person (groups expanded)"
          isSelected={byPerson}
          onChange={showByPerson}
        />
        {owner && <CsvDownloadButton owner={owner} byPerson={byPerson} />}
      </Flex>
      {owner && (
        <ReviewBody owner={owner} byPerson={byPerson} reloadKey={reloadKey} />
      )}
      {owner && (
        <div style={{ marginTop: 'var(--bui-space-4)' }}>
          <UnownedServices owner={owner} />
        </div>
      )}
      {!owner && choices.loading && <Skeleton width="100%" height={80} />}
      {!owner && !choices.loading && (
        <Alert
          status="info"
          icon
          title="Choose an owner to review their apps."
        />
      )}
    </Container>
  );
}
