import { describe, expect, it } from 'vitest';
import { escapeHtml, html, isHtml, trustedHtml } from './html.ts';

describe('html', () => {
  it('escapes interpolated strings and numbers, not the template', () => {
    const name = `<script>alert("x")</script> & 'quotes'`;
    expect(html`<p class="n">${name}</p>`.value).toBe(
      '<p class="n">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
    expect(html`<td>${42}</td>`.value).toBe('<td>42</td>');
  });

  it('keeps nested fragments, joins arrays and drops empty values', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>',
    );
    expect(html`${trustedHtml('<br>')}`.value).toBe('<br>');
    expect(String(html`<b>${'x'}</b>`)).toBe('<b>x</b>');
  });

  it('does not take a look-alike object for safe HTML', () => {
    const forged = { value: '<img onerror=x>', toString: () => '<img onerror=x>' };
    expect(isHtml(forged)).toBe(false);
    expect(html`${forged as unknown as string}`.value).toBe('&lt;img onerror=x&gt;');
    expect(escapeHtml('"&')).toBe('&quot;&amp;');
  });
});
