/** Weekly reflections: consent, schedule settings, the Kolb dialogue and the journal. */
import type { CoreServices } from '../core/core-services';

export function registerReflections(_core: CoreServices): void {
  // Filled in by the reflections feature.
}
