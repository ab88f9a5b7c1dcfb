import { describe, expect, it } from 'vitest';
import { PassportError } from './errors.ts';

class SampleError extends PassportError<'SAMPLE_FAILED'> {}

describe('PassportError', () => {
  it('carries code, status, spec error and a safe description', () => {
    const error = new SampleError('SAMPLE_FAILED', 'internal detail', {
      status: 400,
      specError: 'invalid_request',
      description: 'bad request',
      detail: { secret: 1 },
    });
    expect(error.code).toBe('SAMPLE_FAILED');
    expect(error.status).toBe(400);
    expect(error.specError).toBe('invalid_request');
    expect(error.description).toBe('bad request');
    expect(error.name).toBe('SampleError');
    expect(error).toBeInstanceOf(Error);
  });

  it('is recognised by brand, not by class identity', () => {
    const error = new SampleError('SAMPLE_FAILED', 'x');
    const lookalike = Object.assign(new Error('x'), { code: 'SAMPLE_FAILED' });
    expect(PassportError.is(error)).toBe(true);
    expect(PassportError.is(lookalike)).toBe(false);
    expect(PassportError.is(null)).toBe(false);
  });

  it('defaults to status 500 and keeps the cause', () => {
    const cause = new Error('root');
    const error = new PassportError('X_FAILED', 'wrapped', { cause });
    expect(error.status).toBe(500);
    expect(error.cause).toBe(cause);
    expect(error.description).toBe('wrapped');
  });
});
