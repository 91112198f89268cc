/** Privacy: the purpose notice at first contact, data export and erasure, retention, output checks. */
import type { CoreServices } from '../core/core-services';
import { registerDataRights } from './data-rights';
import { purposeNoticeHook } from './purpose-notice';

export { startRetention, purgeExpired } from './retention';
export { guardModelOutput, stripForeignLinks } from './output-guard';
export { exportPersonalData, erasePerson, personalTables } from './personal-data';

/** The first-contact notice, `export`, `forget` and its confirmation buttons. */
export function registerPrivacy(core: CoreServices): void {
  core.router.setFirstContact(purposeNoticeHook(core.db));
  registerDataRights(core);
}
