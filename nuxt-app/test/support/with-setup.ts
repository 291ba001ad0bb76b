import { mount, type VueWrapper } from '@vue/test-utils';
import { defineComponent, h } from 'vue';

/**
 * Runs a composable inside a mounted component, as the site does, so its lifecycle hooks
 * (onMounted, onBeforeUnmount) run; `wrapper.unmount()` is the component going away.
 */
export function withSetup<T>(composable: () => T): { result: T; wrapper: VueWrapper } {
  let result: T | undefined;
  const wrapper = mount(
    defineComponent({
      setup() {
        result = composable();
        return () => h('div');
      },
    }),
  );
  return { result: result as T, wrapper };
}
