import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import plugin, {
  entityCloudRunIapCard,
  entityCloudRunIapContent,
  reviewPageRouteRef,
} from './alpha';
import { reviewRouteRef } from './routes';
import * as legacy from './index';
import { cloudRunIapApiRef } from './api';
import { accessManagerService, entity, report } from './testing/fixtures';
import { mockApi } from './testing/http';

jest.setTimeout(30_000);

describe('new frontend system', () => {
  it('is the cloud-run-iap plugin', () => {
    expect(plugin.pluginId).toBe('cloud-run-iap');
  });

  it('puts the compact card on entities with the annotation', async () => {
    const api = mockApi({
      getAccessReport: jest.fn(async () => report([accessManagerService()])),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity() }),
        entityCloudRunIapCard,
      ],
      apis: [[cloudRunIapApiRef, api]],
    });
    expect(
      await screen.findByText('IAP on', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'See who can get in' }),
    ).toBeInTheDocument();
    // the accessors table is the Access tab's
    expect(screen.queryByRole('grid', { name: 'Accessors' })).toBeNull();
  });

  it('adds the Access tab, at path access, on entities with the annotation', async () => {
    const api = mockApi({
      getAccessReport: jest.fn(async () => report([accessManagerService()])),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity() }),
        entityCloudRunIapContent,
      ],
      apis: [[cloudRunIapApiRef, api]],
    });
    expect(
      await screen.findByRole(
        'grid',
        { name: 'Accessors' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('form', { name: 'Check a context' }),
    ).toBeInTheDocument();
  });

  it('leaves the Access tab off entities without the annotation', async () => {
    const api = mockApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity('plain', null) }),
        entityCloudRunIapContent,
      ],
      apis: [[cloudRunIapApiRef, api]],
    });
    expect(
      await screen.findByTestId('empty-entity-page', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(api.getAccessReport).not.toHaveBeenCalled();
  });

  it('shares the review route ref with the legacy system', () => {
    expect(plugin.routes.review).toBe(reviewPageRouteRef);
    expect(String(reviewPageRouteRef)).toContain('cloud-run-iap:review');
    expect(String(reviewRouteRef)).toContain('cloud-run-iap:review');
  });

  it('leaves the card off entities without it', async () => {
    const api = mockApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity('plain', null) }),
        entityCloudRunIapCard,
      ],
      apis: [[cloudRunIapApiRef, api]],
    });
    await new Promise(r => setTimeout(r, 200));
    expect(
      screen.queryByText('Access through Identity-Aware Proxy'),
    ).toBeNull();
    expect(api.getAccessReport).not.toHaveBeenCalled();
  });
});

describe('legacy frontend system', () => {
  it('exports the plugin, cards, tab content, page, fields, API and predicate', () => {
    expect(legacy.cloudRunIapPlugin.getId()).toBe('cloud-run-iap');
    expect(legacy.EntityCloudRunIapCard).toBeDefined();
    expect(legacy.EntityCloudRunIapOverviewCard).toBeDefined();
    expect(legacy.EntityCloudRunIapContent).toBeDefined();
    expect(legacy.CloudRunIapReviewPage).toBeDefined();
    expect(legacy.CloudRunIapAccessLevelPickerFieldExtension).toBeDefined();
    expect(legacy.CloudRunIapAccessorsPickerFieldExtension).toBeDefined();
    expect(legacy.cloudRunIapApiRef.id).toBe('plugin.cloud-run-iap.client');
    expect(legacy.isCloudRunIapAvailable(entity())).toBe(true);
    expect(legacy.isCloudRunIapAvailable(entity('plain', null))).toBe(false);
  });
});
