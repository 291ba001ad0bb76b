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
export function usePayChannel() {
  const device = ref<PayDevice>('desktop');
  const desktopChannel = ref<'page' | 'qr'>('page');
  onMounted(() => {
    device.value = payDeviceOf(navigator.userAgent);
  });
  const channel = computed<PayChannel | null>(() => {
    switch (device.value) {
      case 'wechat':
        return null;
      case 'phone':
        return 'wap';
      case 'desktop':
        return desktopChannel.value;
    }
  });
  return { device, desktopChannel, channel };
}
