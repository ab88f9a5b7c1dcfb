import { describe, expect, it } from 'vitest';
import { appendPath, withQuery } from './service-url.ts';

describe('service URLs', () => {
  it('puts /scores before the query string of Canvas and Moodle line item URLs', () => {
    expect(
      appendPath('https://moodle.example/mod/lti/services.php/2/lineitems/5/lineitem?type_id=3', 'scores'),
    ).toBe('https://moodle.example/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=3');
    expect(appendPath('https://canvas.example/api/lti/courses/1/line_items/7?include=x', '/results')).toBe(
      'https://canvas.example/api/lti/courses/1/line_items/7/results?include=x',
    );
    expect(appendPath('https://lms.example/lineitems/7/', 'scores')).toBe(
      'https://lms.example/lineitems/7/scores',
    );
  });

  it('adds query parameters without losing existing ones', () => {
    expect(
      withQuery('https://lms.example/lineitems?type_id=3', {
        resource_link_id: 'rl 1',
        tag: undefined,
        limit: 10,
      }),
    ).toBe('https://lms.example/lineitems?type_id=3&resource_link_id=rl+1&limit=10');
  });
});
