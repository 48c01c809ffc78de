import { describe, expect, it } from 'vitest';
import { CheckFailed, fail, formatResults, ok, runChecks, type Check } from '../../../src/doctor/check';
import { redactor } from '../../../src/doctor/redact';

describe('doctor checks', () => {
  it('are independent: one throwing or hanging hides no other, each within its own time limit', async () => {
    const checks: Check[] = [
      { name: 'hangs', run: () => new Promise(() => undefined) },
      { name: 'throws', run: () => Promise.reject(new CheckFailed('broken', 'mend it')) },
      { name: 'crashes', run: () => Promise.reject(new Error('first line\nsecond line')) },
      { name: 'fine', run: () => Promise.resolve(ok('all good')) },
    ];
    const t0 = Date.now();
    const r = await runChecks(checks, { timeoutMs: 300, redact: (t) => t });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.map((x) => [x.name, x.status, x.detail])).toEqual([
      ['hangs', 'fail', 'no answer within 0.3 s'],
      ['throws', 'fail', 'broken'],
      ['crashes', 'fail', 'first line'],
      ['fine', 'ok', 'all good'],
    ]);
    expect(formatResults(r)).toMatch(/^FAIL {2}throws: broken\n {6}fix: mend it$/m);
    expect(formatResults(r)).toMatch(/3 of 4 checks failed$/);
  });

  it('redact what looks like a credential and every configured secret, before printing', async () => {
    const webhook = 'https://hooks.example.com/T1/B2/abcdefgh';
    const redact = redactor([webhook, undefined]);
    const text = [
      `posting to ${webhook} failed`,
      'Authorization: Bearer ya29.a0AfH6SMBx-secret',
      'token ya29.A0ARrdaM-another',
      '{"access_token":"tok-123456","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"}',
      'api_key=AIzaSySecretValue&x=1',
    ].join('\n');
    const out = redact(text);
    for (const secret of ['abcdefgh', 'ya29', 'tok-123456', 'MIIE', 'AIzaSySecretValue'])
      expect(out).not.toContain(secret);
    expect(out).toContain('"access_token":"[redacted]"');
    const [r] = await runChecks([{ name: 'x', run: () => Promise.resolve(fail(`bad ${webhook}`, `see ${webhook}`)) }], {
      timeoutMs: 1000,
      redact,
    });
    expect(r).toMatchObject({ detail: 'bad [redacted]', fix: 'see [redacted]' });
  });
});
