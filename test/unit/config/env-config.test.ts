import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors';
import { loadEnvConfig } from '../../../src/config/env-config';

describe('environment config', () => {
  it('takes defaults for what is not set', () => {
    const c = loadEnvConfig({});
    expect(c).toMatchObject({ temporalAddress: 'localhost:7233', namespace: 'default', taskQueue: 'bike-retrain' });
    expect(c.webhookUrl).toBeUndefined();
  });

  it.each(['htp:/bad url', 'http:/host', 'ftp://host/x', 'https://a b/c'])(
    'refuses the webhook URL %j at start, without echoing it',
    (url) => {
      const err = (() => {
        try {
          loadEnvConfig({ BIKE_RETRAIN_WEBHOOK_URL: url });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect(err!.message).toContain('BIKE_RETRAIN_WEBHOOK_URL');
      expect(err!.message).not.toContain(url);
    },
  );

  it.each(['https://hooks.slack.com/services/T/B/x', 'http://127.0.0.1:8080/hook', 'http://localhost:9/h'])(
    'accepts %s',
    (url) => expect(loadEnvConfig({ BIKE_RETRAIN_WEBHOOK_URL: url }).webhookUrl).toBe(url),
  );
});
