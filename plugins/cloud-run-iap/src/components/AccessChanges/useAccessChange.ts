import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useState } from 'react';
import {
  AccessChange,
  AccessChangedSinceYouLookedError,
  AccessChangePreview,
  classifyCloudRunIapError,
  CloudRunIapErrorInfo,
  cloudRunIapApiRef,
} from '../../api';

/** Where a change stands: previewed before it is applied, with the etag of that preview. */
export type AccessChangeState =
  | { step: 'editing' }
  | { step: 'previewing'; change: AccessChange }
  | { step: 'previewed'; change: AccessChange; preview: AccessChangePreview }
  | { step: 'applying'; change: AccessChange; preview: AccessChangePreview }
  | { step: 'applied'; preview: AccessChangePreview }
  /** The access changed between preview and apply; `preview` is the fresh one. */
  | {
      step: 'changed-since-you-looked';
      change: AccessChange;
      preview: AccessChangePreview;
      message: string;
    }
  | {
      step: 'failed';
      change: AccessChange;
      error: CloudRunIapErrorInfo;
      preview?: AccessChangePreview;
    };

/** Preview, then apply with the preview's etag; a 409 brings the fresh preview. */
export function useAccessChange(
  entityRef: CompoundEntityRef,
  onApplied?: (preview: AccessChangePreview) => void,
) {
  const api = useApi(cloudRunIapApiRef);
  const [state, setState] = useState<AccessChangeState>({ step: 'editing' });
  const { kind, namespace, name } = entityRef;

  const preview = useCallback(
    async (change: AccessChange) => {
      setState({ step: 'previewing', change });
      try {
        const result = await api.previewAccessChange(
          { kind, namespace, name },
          change,
        );
        setState({ step: 'previewed', change, preview: result });
      } catch (error) {
        setState({
          step: 'failed',
          change,
          error: classifyCloudRunIapError(error),
        });
      }
    },
    [api, kind, namespace, name],
  );

  const apply = useCallback(
    async (change: AccessChange, previewed: AccessChangePreview) => {
      setState({ step: 'applying', change, preview: previewed });
      try {
        const result = await api.applyAccessChange(
          { kind, namespace, name },
          { ...change, etag: previewed.etag },
        );
        setState({ step: 'applied', preview: result });
        onApplied?.(result);
      } catch (error) {
        if (error instanceof AccessChangedSinceYouLookedError) {
          setState({
            step: 'changed-since-you-looked',
            change,
            preview: error.preview,
            message: error.message,
          });
        } else {
          setState({
            step: 'failed',
            change,
            preview: previewed,
            error: classifyCloudRunIapError(error),
          });
        }
      }
    },
    [api, kind, namespace, name, onApplied],
  );

  const reset = useCallback(() => setState({ step: 'editing' }), []);
  return { state, preview, apply, reset };
}
