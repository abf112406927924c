import { act, render, screen } from '@testing-library/react';
import { LastChecked } from './LastChecked';

describe('LastChecked', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps the relative time current while the card stays open', () => {
    jest.useFakeTimers();
    render(
      <LastChecked fetchedAt={new Date().toISOString()} fromCache={false} />,
    );
    expect(screen.getByText('Last checked just now')).toBeInTheDocument();
    act(() => {
      jest.advanceTimersByTime(3 * 60_000);
    });
    expect(screen.getByText('Last checked 3 minutes ago')).toBeInTheDocument();
  });

  it('says when the report came from the cache', () => {
    render(<LastChecked fetchedAt={new Date().toISOString()} fromCache />);
    expect(
      screen.getByText('Last checked just now (cached)'),
    ).toBeInTheDocument();
  });
});
