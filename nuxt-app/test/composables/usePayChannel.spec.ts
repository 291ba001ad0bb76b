import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import type { PayChannel } from '#shared/types/api';
import { payDeviceOf, usePayChannel } from '~/composables/usePayChannel';
import { withSetup } from '../support/with-setup';

describe('payDeviceOf', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
      'desktop',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
      'desktop',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1', 'phone'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile Safari/537.36', 'phone'],
    ['Mozilla/5.0 (iPhone) Mobile/15E148 MicroMessenger/8.0.49 NetType/WIFI', 'wechat'],
    ['Mozilla/5.0 (Windows NT 10.0) WindowsWechat MicroMessenger/7.0.20', 'wechat'],
  ])('%s -> %s', (userAgent, device) => {
    expect(payDeviceOf(userAgent)).toBe(device);
  });
});

describe('usePayChannel', () => {
  it('pays a phone through wap, a desktop as chosen, and never from inside WeChat', () => {
    const { result: pay } = withSetup(() => usePayChannel());
    expect(pay.channel.value).toBe('page');
    pay.desktopChannel.value = 'qr';
    expect(pay.channel.value).toBe('qr');
    pay.device.value = 'phone';
    expect(pay.channel.value).toBe('wap');
    pay.device.value = 'wechat';
    expect(pay.channel.value).toBeNull();
  });

  it('offers only the channels the API takes (GET /payments/limits)', () => {
    const offered = ref<PayChannel[] | null>(['page', 'wap']);
    const { result: pay } = withSetup(() => usePayChannel(() => offered.value));
    pay.desktopChannel.value = 'qr';
    expect(pay.offers('qr')).toBe(false);
    expect(pay.channel.value).toBe('page');
    offered.value = ['qr'];
    pay.desktopChannel.value = 'page';
    expect(pay.channel.value).toBe('qr');
    pay.device.value = 'phone';
    expect(pay.channel.value).toBeNull();
    offered.value = null; // not known yet: everything is offered, the API decides
    expect(pay.channel.value).toBe('wap');
  });
});
