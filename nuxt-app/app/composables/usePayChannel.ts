import type { PayChannel } from '#shared/types/api';

/** Where the reader is paying from, as far as Alipay cares. */
export type PayDevice = 'desktop' | 'phone' | 'wechat';

/**
 * WeChat's in-app browser blocks Alipay's pages; phones get Alipay's phone cashier (wap);
 * everything else is a desktop, where the reader may scan a code or use the page cashier.
 */
export function payDeviceOf(userAgent: string): PayDevice {
  if (/MicroMessenger/i.test(userAgent)) return 'wechat';
  if (/Android|iPhone|iPod|iPad|HarmonyOS|Mobile/i.test(userAgent)) return 'phone';
  return 'desktop';
}

/**
 * The Alipay channel for this browser. Decided in the browser, after mounting, so the
 * server-rendered page is the same for every device and any cached copy serves them all.
 * `channel` is null where Alipay cannot be used (inside WeChat).
 */
export function usePayChannel(offered: () => readonly PayChannel[] | null = () => null) {
  const device = ref<PayDevice>('desktop');
  const desktopChannel = ref<'page' | 'qr'>('page');
  /** Whether the API takes orders through `channel`; until its limits are known, yes. */
  const offers = (channel: PayChannel): boolean => offered()?.includes(channel) ?? true;
  onMounted(() => {
    device.value = payDeviceOf(navigator.userAgent);
  });
  const channel = computed<PayChannel | null>(() => {
    switch (device.value) {
      case 'wechat':
        return null;
      case 'phone':
        return offers('wap') ? 'wap' : null;
      case 'desktop': {
        const other = desktopChannel.value === 'page' ? 'qr' : 'page';
        if (offers(desktopChannel.value)) return desktopChannel.value;
        return offers(other) ? other : null;
      }
    }
  });
  return { device, desktopChannel, channel, offers };
}
