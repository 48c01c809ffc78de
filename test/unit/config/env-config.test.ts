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

  it('reads the metrics addresses, both off by default', () => {
    expect(loadEnvConfig({})).not.toHaveProperty('metricsAddress');
    expect(loadEnvConfig({})).not.toHaveProperty('workerMetricsAddress');
    expect(loadEnvConfig({ BIKE_RETRAIN_WORKER_METRICS_ADDRESS: '' })).not.toHaveProperty('workerMetricsAddress');
    const c = loadEnvConfig({
      BIKE_RETRAIN_METRICS_ADDRESS: '0.0.0.0:9464',
      BIKE_RETRAIN_WORKER_METRICS_ADDRESS: '[::1]:9465',
    });
    expect(c).toMatchObject({ metricsAddress: '0.0.0.0:9464', workerMetricsAddress: '[::1]:9465' });
  });

  it.each(['9464', 'localhost', 'http://localhost:9464', 'localhost:99999', 'local host:1'])(
    'refuses the metrics address %j, naming the variable and the expected form',
    (address) => {
      for (const name of ['BIKE_RETRAIN_METRICS_ADDRESS', 'BIKE_RETRAIN_WORKER_METRICS_ADDRESS'])
        expect(() => loadEnvConfig({ [name]: address })).toThrow(new RegExp(`${name}.*(host:port|port above 65535)`));
    },
  );
});
