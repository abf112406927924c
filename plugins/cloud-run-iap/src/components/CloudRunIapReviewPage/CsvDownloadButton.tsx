import { useApi } from '@backstage/core-plugin-api';
import { Alert, Button } from '@backstage/ui';
import { RiDownload2Line } from '@remixicon/react';
import { useState } from 'react';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';

/** `iap-access-review-<owner>-<date>.csv`, with the owner reduced to letters, digits and dashes. */
export function reviewCsvFileName(owner: string, now = new Date()): string {
  const safe = owner.replace(/[^a-zA-Z0-9-]+/g, '-');
  return `iap-access-review-${safe}-${now.toISOString().slice(0, 10)}.csv`;
}

/** Fetches the review as CSV from the backend, with the user's token, and saves it. */
export function CsvDownloadButton(props: { owner: string; byPerson: boolean }) {
  const { owner, byPerson } = props;
  const api = useApi(cloudRunIapApiRef);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const download = async () => {
    setPending(true);
    setFailure(undefined);
    try {
      const blob = byPerson
        ? await api.getReviewCsv(owner, { expand: 'people' })
        : await api.getReviewCsv(owner);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = reviewCsvFileName(owner);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setFailure(classifyCloudRunIapError(e).message);
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button
        variant="secondary"
        onPress={download}
        isPending={pending}
        iconStart={<RiDownload2Line aria-hidden />}
      >
        Download CSV
      </Button>
      {failure && (
        <Alert
          status="danger"
          icon
          role="alert"
          title={`The CSV could not be downloaded: ${failure}`}
        />
      )}
    </>
  );
}
