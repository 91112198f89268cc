/** 1on1 question suggestions for people managers. */
import type { CoreServices } from '../core/core-services';

export function registerOneOnOne(_core: CoreServices): void {
  // Filled in by the 1on1 feature.
}
