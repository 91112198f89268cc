/** Career consultation: registers the free-text handler and the `ask`, `trainings`, `postings` commands. */
import type { CoreServices } from '../core/core-services';

export function registerConsultation(_core: CoreServices): void {
  // Filled in by the consultation chain.
}
