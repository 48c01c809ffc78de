import { describe, expect, it } from 'vitest';
import { parseWorkerQueues } from '../../../src/worker';

describe('worker --queues', () => {
  it('takes light, heavy or both, in any order, once each', () => {
    expect(parseWorkerQueues('light')).toEqual(['light']);
    expect(parseWorkerQueues('heavy')).toEqual(['heavy']);
    expect(parseWorkerQueues('heavy, light,heavy')).toEqual(['heavy', 'light']);
  });

  it('names what it expected for anything else', () => {
    expect(() => parseWorkerQueues('gpu')).toThrow(/--queues: expected light, heavy or light,heavy; got "gpu"/);
    expect(() => parseWorkerQueues(',')).toThrow(/--queues/);
  });
});
