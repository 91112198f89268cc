/** App Home: publishes the person's view (views.publish) from the core's reflection overview. */
import { reflectionOverview } from '../../reflections/overview';
import { renderHome } from './blocks';
import type { ListenerDeps } from './listeners/deps';
import { errorInfo } from './responder';

export async function publishHome(deps: ListenerDeps, userId: string, teamId?: string): Promise<void> {
  const { core } = deps;
  try {
    const actor = await deps.identity.actorFor(userId, teamId);
    const overview = reflectionOverview(core.db, actor.personId, { defaultTimezone: actor.timezone, now: core.clock() });
    await deps.client.views.publish({ user_id: userId, view: renderHome({ locale: actor.locale, isGuest: actor.isGuest, overview }) });
  } catch (error) {
    // The home tab keeps its previous content; nothing else to tell the person here.
    deps.logger.warn({ err: errorInfo(error) }, 'app home publish failed');
  }
}
