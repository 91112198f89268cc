/** Privacy: the purpose notice at first contact, data export and erasure, retention. */
import type { CoreServices } from '../core/core-services';
import { purposeNoticeHook } from './purpose-notice';

export function registerPrivacy(core: CoreServices): void {
  core.router.setFirstContact(purposeNoticeHook(core.db));
}
