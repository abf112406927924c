import { EventEmitter } from 'node:events';
import { Request, Response } from 'express';
import {
  ClientClosedError,
  DeadlineExceededError,
  RequestDeadline,
} from './RequestDeadline';

function response(): Response & { finish(): void; close(): void } {
  const res = new EventEmitter() as any;
  res.writableFinished = false;
  res.finish = () => {
    res.writableFinished = true;
    res.emit('close');
  };
  res.close = () => res.emit('close');
  return res;
}

describe('RequestDeadline', () => {
  const req = {} as Request;

  it('aborts with DeadlineExceededError when the deadline passes', async () => {
    const deadline = RequestDeadline.start(20, { req, res: response() });
    expect(deadline.signal.aborted).toBe(false);
    await new Promise(r => setTimeout(r, 40));
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    expect((deadline.signal.reason as Error).message).toBe(
      'it did not finish within 20 ms',
    );
  });

  it('aborts when the client closes the connection before the answer', () => {
    const res = response();
    const deadline = RequestDeadline.start(60_000, { req, res });
    res.close();
    expect(deadline.signal.reason).toBeInstanceOf(ClientClosedError);
  });

  it('does not abort once the answer is sent', async () => {
    const res = response();
    const deadline = RequestDeadline.start(20, { req, res });
    res.finish();
    await new Promise(r => setTimeout(r, 40));
    expect(deadline.signal.aborted).toBe(false);
  });
});
