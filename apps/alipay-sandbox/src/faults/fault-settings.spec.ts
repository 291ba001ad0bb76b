import { defaultFaults } from '../state/sandbox-state.js';
import { FaultsPatchError, applyFaultsPatch, faultsView } from './fault-settings.js';

describe('applyFaultsPatch', () => {
  it.each([
    {
      name: 'drop every notification for good',
      body: { drop_notifications: -1, drop_permanently: true },
      expected: { dropNotifications: -1, dropPermanently: true },
    },
    {
      name: 'duplicates sent at once',
      body: { duplicate_notifications: 2, concurrent: true },
      expected: { duplicateNotifications: 2, concurrent: true },
    },
    {
      name: 'delays and corrupted signatures',
      body: { delay_ms: 250, corrupt_signatures: 1 },
      expected: { delayMs: 250, corruptSignatures: 1 },
    },
    {
      name: 'a 20000 answer for the next two calls',
      body: { open_api: { mode: '20000', count: 2 } },
      expected: { openApi: { mode: '20000', count: 2, apply: false, holdMs: null, methods: null } },
    },
    {
      name: 'a mode without a count lasts until reset',
      body: { open_api: { mode: 'timeout', hold_ms: 3000, methods: ['alipay.trade.refund'] } },
      expected: {
        openApi: {
          mode: 'timeout',
          count: -1,
          apply: false,
          holdMs: 3000,
          methods: ['alipay.trade.refund'],
        },
      },
    },
    {
      name: 'a refund that happens although its answer is lost',
      body: { open_api: { mode: '20000', count: 1, apply: true } },
      expected: { openApi: { mode: '20000', count: 1, apply: true, holdMs: null, methods: null } },
    },
    {
      name: 'a business refusal of the next refund',
      body: { open_api: { mode: '40004', count: 1, methods: ['alipay.trade.refund'] } },
      expected: {
        openApi: {
          mode: '40004',
          count: 1,
          apply: false,
          holdMs: null,
          methods: ['alipay.trade.refund'],
        },
      },
    },
    {
      name: 'count 0 means normal',
      body: { open_api: { mode: '20000', count: 0 } },
      expected: {
        openApi: { mode: 'normal', count: 0, apply: false, holdMs: null, methods: null },
      },
    },
  ])('accepts $name', ({ body, expected }) => {
    expect(applyFaultsPatch(defaultFaults(), body)).toEqual({ ...defaultFaults(), ...expected });
  });

  it('keeps what the patch leaves out', () => {
    const first = applyFaultsPatch(defaultFaults(), { drop_notifications: 3 });
    expect(applyFaultsPatch(first, { delay_ms: 10 })).toMatchObject({
      dropNotifications: 3,
      delayMs: 10,
    });
  });

  it.each([
    [[], /body must be a JSON object/],
    [{ drop: 1 }, /unknown field drop/],
    [{ drop_notifications: -2 }, /drop_notifications/],
    [{ drop_notifications: 1.5 }, /drop_notifications/],
    [{ drop_notifications: '3' }, /drop_notifications/],
    [{ concurrent: 'yes' }, /concurrent must be true or false/],
    [{ duplicate_notifications: 21 }, /duplicate_notifications/],
    [{ delay_ms: -1 }, /delay_ms/],
    [{ open_api: { mode: '50000' } }, /open_api.mode/],
    [{ open_api: { mode: '20000', retries: 1 } }, /unknown field open_api.retries/],
    [{ open_api: { methods: ['alipay.trade.pay'] } }, /open_api.methods/],
    [{ open_api: 'timeout' }, /open_api must be a JSON object/],
  ])('refuses %j', (body, message) => {
    expect(() => applyFaultsPatch(defaultFaults(), body)).toThrow(FaultsPatchError);
    expect(() => applyFaultsPatch(defaultFaults(), body)).toThrow(message);
  });

  it('shows settings in snake_case', () => {
    expect(faultsView(defaultFaults())).toEqual({
      drop_notifications: 0,
      drop_permanently: false,
      duplicate_notifications: 0,
      concurrent: false,
      delay_ms: 0,
      corrupt_signatures: 0,
      open_api: { mode: 'normal', count: 0, apply: false, hold_ms: null, methods: null },
    });
  });
});
