import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { accessManagerService } from '../../testing/fixtures';
import { ServiceSummary } from './ServiceSummary';

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
        service={{ ...accessManagerService(), uri: 'javascript:alert(1)' }}
      />,
    );
    expect(screen.getByText('javascript:alert(1)').tagName).toBe('CODE');
    expect(
      screen.queryByRole('link', { name: 'javascript:alert(1)' }),
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
