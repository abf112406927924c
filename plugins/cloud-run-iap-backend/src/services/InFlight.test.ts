import { InFlight, callerKeyOf } from './InFlight';

describe('InFlight', () => {
  it('shares one computation among identical calls while it runs, and none after', async () => {
    const calls = new InFlight<number>();
    let computed = 0;
    let finish: (n: number) => void = () => {};
    const compute = () => {
      computed += 1;
      return new Promise<number>(resolve => {
        finish = resolve;
      });
    };
    const first = calls.run('a', compute);
    const second = calls.run('a', compute);
    const other = calls.run('b', () => Promise.resolve(7));
    expect(computed).toBe(1);
    finish(42);
    expect(await Promise.all([first, second, other])).toEqual([42, 42, 7]);
    expect(calls.size).toBe(0);

    const third = calls.run('a', compute);
    expect(computed).toBe(2);
    finish(43);
    expect(await third).toBe(43);
  });

  it('shares an error with the calls that waited for it, and computes again afterwards', async () => {
    const calls = new InFlight<string>();
    let fail: (e: Error) => void = () => {};
    const failing = () =>
      new Promise<string>((_, reject) => {
        fail = reject;
      });
    const waiting = [calls.run('k', failing), calls.run('k', failing)];
    const denied = new Error('denied');
    fail(denied);
    await expect(waiting[0]).rejects.toBe(denied);
    await expect(waiting[1]).rejects.toBe(denied);
    expect(await calls.run('k', () => Promise.resolve('allowed'))).toBe(
      'allowed',
    );
  });
});

describe('callerKeyOf', () => {
  it('is the same for the same token only, and does not contain it', () => {
    const token = 'Bearer eyJhbGciOiJFUzI1NiJ9.payload.signature';
    expect(callerKeyOf(token)).toBe(callerKeyOf(token));
    expect(callerKeyOf(token)).not.toBe(callerKeyOf(`${token}x`));
    expect(callerKeyOf(token)).not.toContain('payload');
  });
});
