import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { accessManagerService } from '../../testing/fixtures';
import { ServiceSummary } from './ServiceSummary';

// eslint-disable-next-line no-script-url
const SCRIPT_URL = 'javascript:alert(1)';

describe('ServiceSummary', () => {
  it('links the https URL of the service', async () => {
    const service = accessManagerService();
    await renderInTestApp(<ServiceSummary service={service} />);
    expect(screen.getByRole('link', { name: service.uri! })).toHaveAttribute(
      'href',
      service.uri,
    );
  });

  it('shows any other URL as text, never as a link', async () => {
    await renderInTestApp(
      <ServiceSummary
        service={{ ...accessManagerService(), uri: SCRIPT_URL }}
      />,
    );
    expect(screen.getByText(SCRIPT_URL).tagName).toBe('CODE');
    expect(
      screen.queryByRole('link', { name: SCRIPT_URL }),
    ).not.toBeInTheDocument();
  });

  it('says when the default URL is disabled', async () => {
    await renderInTestApp(
      <ServiceSummary
        service={{ ...accessManagerService(), uri: undefined }}
      />,
    );
    expect(screen.getByText('none (default URL disabled)')).toBeInTheDocument();
  });
});
