import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  const clock = { now: () => new Date('2025-05-06T07:08:09.000Z') };

  it('writes one JSON object per event with level, msg, time and fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line), clock }).child({ component: 'http' });
    logger.info('listening', { url: 'http://127.0.0.1:3000' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 'info',
      msg: 'listening',
      time: '2025-05-06T07:08:09.000Z',
      component: 'http',
      url: 'http://127.0.0.1:3000',
    });
  });

  it('drops events below the level, and silent drops all', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line), clock });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['c', 'd']);
    const silent = createLogger({ level: 'silent', write: (line) => lines.push(line) });
    silent.error('e');
    expect(lines).toHaveLength(2);
  });

  it('serializes errors with name, message, code and stack', () => {
    const lines: string[] = [];
    const error = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    createLogger({ write: (line) => lines.push(line), clock }).error('failed', { error });
    const logged = JSON.parse(lines[0]!).error;
    expect(logged).toMatchObject({ name: 'Error', message: 'refused', code: 'ECONNREFUSED' });
    expect(logged.stack).toContain('refused');
  });
});
